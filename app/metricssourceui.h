#pragma once

#include "metrics/prometheusconfig.h"

#include <QObject>

#include <optional>

class QAction;
class QLabel;
class QWidget;

namespace Vigie {

class SessionManager;

// The window's side of the metrics source: View › Metrics source…, the remembered choice, and
// a status bar label saying where the figures come from and whether Prometheus answers.
class MetricsSourceUi : public QObject
{
    Q_OBJECT

public:
    MetricsSourceUi(SessionManager *sessions, QWidget *window);

    [[nodiscard]] QAction *action() const { return m_action; }
    [[nodiscard]] QLabel *statusLabel() const { return m_status; }
    // The saved choice (direct polling when none).
    void restore();
    // Nullopt: direct polling. REMEMBER saves it (the command line's choice is not saved).
    void apply(const std::optional<PrometheusConfig> &config, bool remember);
    void showDialog();

    [[nodiscard]] static std::optional<PrometheusConfig> saved();

private:
    SessionManager *m_sessions;
    QWidget *m_window;
    QAction *m_action;
    QLabel *m_status;
};

} // namespace Vigie
