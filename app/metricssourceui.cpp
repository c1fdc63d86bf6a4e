#include "metricssourceui.h"

#include "hypervisor/sessionmanager.h"
#include "metricssourcedialog.h"
#include "metrics/prometheussource.h"

#include <QAction>
#include <QLabel>
#include <QSettings>

namespace Vigie {

namespace {
const QString KeySource = QStringLiteral("metrics/source"); // "direct" or "prometheus"
const QString KeyUrl = QStringLiteral("metrics/prometheusUrl");
const QString KeyUser = QStringLiteral("metrics/prometheusUser");
const QString KeyPassword = QStringLiteral("metrics/prometheusPassword");
const QString KeyToken = QStringLiteral("metrics/prometheusToken");
const QString KeyTargets = QStringLiteral("metrics/prometheusTargets");

void showState(QLabel *label, PrometheusSource::State state, const QString &message)
{
    switch (state) {
    case PrometheusSource::State::Stopped:
        label->setText(MetricsSourceUi::tr("Metrics: Prometheus (off)"));
        break;
    case PrometheusSource::State::Waiting:
        label->setText(MetricsSourceUi::tr("Metrics: Prometheus…"));
        break;
    case PrometheusSource::State::Ok:
        label->setText(MetricsSourceUi::tr("Metrics: Prometheus"));
        break;
    case PrometheusSource::State::Failing:
        label->setText(MetricsSourceUi::tr("Metrics: Prometheus not answering"));
        break;
    }
    // Prometheus's own words: escaped, never taken for markup.
    label->setToolTip(message.isEmpty() ? QString() : QStringLiteral("<p>%1</p>").arg(message.toHtmlEscaped()));
}
} // namespace

MetricsSourceUi::MetricsSourceUi(SessionManager *sessions, QWidget *window)
    : QObject(window)
    , m_sessions(sessions)
    , m_window(window)
    , m_action(new QAction(tr("Metrics &source…"), this))
    , m_status(new QLabel(window))
{
    m_action->setObjectName(QStringLiteral("metricsSourceAction"));
    m_action->setStatusTip(tr("Poll each host directly, or read the metrics from a Prometheus server"));
    connect(m_action, &QAction::triggered, this, &MetricsSourceUi::showDialog);
    m_status->setObjectName(QStringLiteral("metricsSourceStatus"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->hide();
}

std::optional<PrometheusConfig> MetricsSourceUi::saved()
{
    QSettings settings;
    if (settings.value(KeySource).toString() != QLatin1String("prometheus"))
        return std::nullopt;
    PrometheusConfig config;
    config.url = QUrl(settings.value(KeyUrl).toString());
    config.user = settings.value(KeyUser).toString();
    config.password = settings.value(KeyPassword).toString();
    config.bearerToken = settings.value(KeyToken).toString();
    config.targets = PrometheusConfig::parseTargets(settings.value(KeyTargets).toStringList());
    if (!config.url.isValid() || config.url.isEmpty())
        return std::nullopt;
    return config;
}

void MetricsSourceUi::restore()
{
    apply(saved(), false);
}

void MetricsSourceUi::apply(const std::optional<PrometheusConfig> &config, bool remember)
{
    if (remember) {
        QSettings settings;
        settings.setValue(KeySource, config ? QStringLiteral("prometheus") : QStringLiteral("direct"));
        if (config) {
            settings.setValue(KeyUrl, config->url.toString());
            settings.setValue(KeyUser, config->user);
            settings.setValue(KeyPassword, config->password);
            settings.setValue(KeyToken, config->bearerToken);
            QStringList targets;
            for (auto it = config->targets.cbegin(); it != config->targets.cend(); ++it)
                targets.append(it.key() + QLatin1Char('=') + it.value());
            targets.sort();
            settings.setValue(KeyTargets, targets);
        }
    }
    // Nothing to change: direct polling stays as it is.
    if (!config && !m_sessions->prometheus())
        return;
    m_sessions->setPrometheus(config);
    if (PrometheusSource *source = m_sessions->prometheus()) {
        connect(source, &PrometheusSource::stateChanged, m_status,
                [this](PrometheusSource::State state, const QString &message) { showState(m_status, state, message); });
        showState(m_status, source->state(), source->statusMessage());
        m_status->show();
    } else {
        m_status->hide();
    }
}

void MetricsSourceUi::showDialog()
{
    const PrometheusSource *source = m_sessions->prometheus();
    MetricsSourceDialog dialog(source ? std::optional(source->config()) : std::nullopt, m_window);
    if (dialog.exec() == QDialog::Accepted)
        apply(dialog.config(), true);
}

} // namespace Vigie
