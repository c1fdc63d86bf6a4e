#include "metricssourceui.h"

#include "hypervisor/secretbytes.h"
#include "hypervisor/sessionmanager.h"
#include "keyring.h"
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
const QString KeyAuth = QStringLiteral("metrics/prometheusAuth"); // "basic", "bearer" or none
const QString KeyTargets = QStringLiteral("metrics/prometheusTargets");
// Where versions before the keyring kept the secrets, in clear text: moved to the keyring.
const QString LegacyKeyPassword = QStringLiteral("metrics/prometheusPassword");
const QString LegacyKeyToken = QStringLiteral("metrics/prometheusToken");
// The secrets' entries in the desktop's keyring.
const QString SecretPassword = QStringLiteral("prometheus-password");
const QString SecretToken = QStringLiteral("prometheus-token");

QString authOf(const PrometheusConfig &config)
{
    if (!config.bearerToken.isEmpty())
        return QStringLiteral("bearer");
    return config.user.isEmpty() ? QString() : QStringLiteral("basic");
}

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
    , m_keyring(new Keyring(this))
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
    config.targets = PrometheusConfig::parseTargets(settings.value(KeyTargets).toStringList());
    if (!config.url.isValid() || config.url.isEmpty())
        return std::nullopt;
    return config;
}

void MetricsSourceUi::restore()
{
    std::optional<PrometheusConfig> config = saved();
    QSettings settings;
    const QString legacyPassword = settings.value(LegacyKeyPassword).toString();
    const QString legacyToken = settings.value(LegacyKeyToken).toString();
    if (config && (!legacyPassword.isEmpty() || !legacyToken.isEmpty())) {
        // Saved in clear text by an older version: into the keyring, out of the file.
        config->password = legacyPassword;
        config->bearerToken = legacyToken;
        apply(config, true);
        return;
    }
    const QString auth = settings.value(KeyAuth).toString();
    if (!config || auth.isEmpty()) {
        apply(config, false);
        return;
    }
    const bool bearer = auth == QLatin1String("bearer");
    const int generation = m_generation;
    m_keyring->read(bearer ? SecretToken : SecretPassword, [this, config = *config, bearer, generation](Keyring::Answer answer) mutable {
        if (generation != m_generation)
            return; // chosen again in the dialog meanwhile
        if (answer.ok)
            (bearer ? config.bearerToken : config.password) = QString::fromUtf8(answer.secret);
        wipeSecret(answer.secret);
        if (!answer.ok) {
            Q_EMIT problem(bearer ? tr("The Prometheus token is not in the keyring") : tr("The Prometheus password is not in the keyring"),
                           answer.notFound ? tr("Enter it again in View › Metrics source…: Vigie keeps it in the desktop's keyring.")
                                           : tr("The desktop's keyring did not answer: %1. Vigie reads Prometheus without it; "
                                                "enter it again in View › Metrics source… to use it until Vigie quits.")
                                                 .arg(answer.error));
        }
        apply(config, false);
    });
}

void MetricsSourceUi::apply(const std::optional<PrometheusConfig> &config, bool remember)
{
    ++m_generation;
    if (remember)
        saveChoice(config);
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

void MetricsSourceUi::saveChoice(const std::optional<PrometheusConfig> &config)
{
    QSettings settings;
    settings.setValue(KeySource, config ? QStringLiteral("prometheus") : QStringLiteral("direct"));
    // Never in this file: secrets go to the keyring.
    settings.remove(LegacyKeyPassword);
    settings.remove(LegacyKeyToken);
    if (!config)
        return;
    settings.setValue(KeyUrl, config->url.toString());
    settings.setValue(KeyUser, config->user);
    settings.setValue(KeyAuth, authOf(*config));
    QStringList targets;
    for (auto it = config->targets.cbegin(); it != config->targets.cend(); ++it)
        targets.append(it.key() + QLatin1Char('=') + it.value());
    targets.sort();
    settings.setValue(KeyTargets, targets);
    const auto keep = [this](const QString &entry, const QString &secret, const QString &title) {
        if (secret.isEmpty()) {
            m_keyring->remove(entry, [](const Keyring::Answer &) {});
            return;
        }
        m_keyring->write(entry, secret.toUtf8(), [this, title](const Keyring::Answer &answer) {
            if (!answer.ok)
                Q_EMIT problem(title,
                               tr("The desktop's keyring did not take it: %1. Vigie uses it until it quits; "
                                  "enter it again in View › Metrics source… after the next start.")
                                   .arg(answer.error));
        });
    };
    const bool basic = config->bearerToken.isEmpty() && !config->user.isEmpty();
    keep(SecretPassword, basic ? config->password : QString(), tr("The Prometheus password is not remembered"));
    keep(SecretToken, config->bearerToken, tr("The Prometheus token is not remembered"));
}

void MetricsSourceUi::showDialog()
{
    const PrometheusSource *source = m_sessions->prometheus();
    MetricsSourceDialog dialog(source ? std::optional(source->config()) : std::nullopt, m_window);
    if (dialog.exec() == QDialog::Accepted)
        apply(dialog.config(), true);
}

} // namespace Vigie
