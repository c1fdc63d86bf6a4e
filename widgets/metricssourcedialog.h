#pragma once

#include "metrics/prometheusconfig.h"

#include <QDialog>

#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QRadioButton;

namespace Vigie {

// Where the hosts' metrics come from: each host polled directly (the default), or a Prometheus
// server that scrapes prometheus-libvirt-exporter on each host.
class MetricsSourceDialog : public QDialog
{
    Q_OBJECT

public:
    // CONFIG: the current Prometheus settings, or nullopt for direct polling.
    explicit MetricsSourceDialog(const std::optional<PrometheusConfig> &config, QWidget *parent = nullptr);

    // Nullopt: direct polling.
    [[nodiscard]] std::optional<PrometheusConfig> config() const;

private:
    void updateState();

    QRadioButton *m_direct;
    QRadioButton *m_prometheus;
    QLineEdit *m_url;
    QComboBox *m_auth;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLineEdit *m_token;
    QPlainTextEdit *m_targets;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
    QList<QWidget *> m_prometheusWidgets;
};

} // namespace Vigie
