#pragma once

#include "metrics/prometheusconfig.h"

#include <QObject>

#include <optional>

class QAction;
class QLabel;
class QWidget;

namespace Vigie {

class Keyring;
class SessionManager;

// The window's side of the metrics source: View › Metrics source…, the remembered choice, and
// a status bar label saying where the figures come from and whether Prometheus answers. The
// password or token is kept in the desktop's keyring, never in the settings file.
class MetricsSourceUi : public QObject
{
    Q_OBJECT

public:
    MetricsSourceUi(SessionManager *sessions, QWidget *window);

    [[nodiscard]] QAction *action() const { return m_action; }
    [[nodiscard]] QLabel *statusLabel() const { return m_status; }
    // The saved choice (direct polling when none), applied once the keyring has given its
    // secret. A secret an older version saved in the settings file is moved to the keyring.
    void restore();
    // Nullopt: direct polling. REMEMBER saves it (the command line's choice is not saved).
    void apply(const std::optional<PrometheusConfig> &config, bool remember);
    void showDialog();

    // The saved choice without its secret (that is in the keyring).
    [[nodiscard]] static std::optional<PrometheusConfig> saved();

Q_SIGNALS:
    // The keyring could not give or keep a secret: what happened and what to do.
    void problem(const QString &title, const QString &text);

private:
    void saveChoice(const std::optional<PrometheusConfig> &config);

    SessionManager *m_sessions;
    QWidget *m_window;
    QAction *m_action;
    QLabel *m_status;
    Keyring *m_keyring;
    int m_generation = 0; // apply() calls: a keyring answer for an older choice is dropped
};

} // namespace Vigie
