#include "metricssourcedialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace Vigie {

namespace {
enum Auth { NoAuth, BasicAuth, BearerAuth };
}

MetricsSourceDialog::MetricsSourceDialog(const std::optional<PrometheusConfig> &config, QWidget *parent)
    : QDialog(parent)
    , m_direct(new QRadioButton(tr("&Direct: each host is polled through its libvirt connection"), this))
    , m_prometheus(new QRadioButton(tr("&Prometheus: a server scraping prometheus-libvirt-exporter on each host"), this))
    , m_url(new QLineEdit(this))
    , m_auth(new QComboBox(this))
    , m_user(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_targets(new QPlainTextEdit(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Metrics source"));
    m_url->setPlaceholderText(QStringLiteral("https://prometheus.example:9090"));
    m_auth->addItem(tr("None"), NoAuth);
    m_auth->addItem(tr("User and password (basic)"), BasicAuth);
    m_auth->addItem(tr("Bearer token"), BearerAuth);
    m_password->setEchoMode(QLineEdit::Password);
    m_token->setEchoMode(QLineEdit::Password);
    m_targets->setPlaceholderText(tr("10.0.0.11:9177=qemu+ssh://hv1/system"));
    m_targets->setTabChangesFocus(true);
    m_targets->setMaximumHeight(fontMetrics().lineSpacing() * 6);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("Server &URL:"), m_url);
    form->addRow(tr("&Authentication:"), m_auth);
    form->addRow(tr("U&ser:"), m_user);
    form->addRow(tr("Pass&word:"), m_password);
    form->addRow(tr("&Token:"), m_token);
    auto *secrets = new QLabel(tr("The password and the token are kept in the desktop's keyring (GNOME Keyring, KWallet, "
                                  "KeePassXC…), never in Vigie's settings file; prefer an account or token that can only "
                                  "read metrics."),
                               this);
    secrets->setWordWrap(true);
    form->addRow(QString(), secrets);
    form->addRow(tr("Ta&rgets:"), m_targets);
    auto *targetsHelp = new QLabel(tr("One \"instance=libvirt URI\" a line, for exporters that cannot be matched otherwise. "
                                      "Without it a target is matched by its libvirt_uri label, then by the VMs it reports."),
                                   this);
    targetsHelp->setWordWrap(true);
    form->addRow(QString(), targetsHelp);
    m_prometheusWidgets = {m_url, m_auth, m_user, m_password, m_token, m_targets, secrets, targetsHelp};

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_direct);
    layout->addWidget(m_prometheus);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    if (config) {
        m_prometheus->setChecked(true);
        m_url->setText(config->url.toString());
        m_user->setText(config->user);
        m_password->setText(config->password);
        m_token->setText(config->bearerToken);
        m_auth->setCurrentIndex(!config->bearerToken.isEmpty() ? BearerAuth : !config->user.isEmpty() ? BasicAuth : NoAuth);
        QStringList lines;
        for (auto it = config->targets.cbegin(); it != config->targets.cend(); ++it)
            lines.append(it.key() + QLatin1Char('=') + it.value());
        lines.sort();
        m_targets->setPlainText(lines.join(QLatin1Char('\n')));
    } else {
        m_direct->setChecked(true);
    }
    for (QRadioButton *button : {m_direct, m_prometheus})
        connect(button, &QRadioButton::toggled, this, &MetricsSourceDialog::updateState);
    connect(m_url, &QLineEdit::textChanged, this, &MetricsSourceDialog::updateState);
    connect(m_auth, &QComboBox::currentIndexChanged, this, &MetricsSourceDialog::updateState);
    updateState();
}

std::optional<PrometheusConfig> MetricsSourceDialog::config() const
{
    if (!m_prometheus->isChecked())
        return std::nullopt;
    PrometheusConfig config;
    config.url = QUrl::fromUserInput(m_url->text().trimmed());
    const int auth = m_auth->currentData().toInt();
    if (auth == BasicAuth) {
        config.user = m_user->text();
        config.password = m_password->text();
    } else if (auth == BearerAuth) {
        config.bearerToken = m_token->text().trimmed();
    }
    config.targets = PrometheusConfig::parseTargets(m_targets->toPlainText().split(QLatin1Char('\n')));
    return config;
}

void MetricsSourceDialog::updateState()
{
    const bool prometheus = m_prometheus->isChecked();
    for (QWidget *widget : std::as_const(m_prometheusWidgets))
        widget->setEnabled(prometheus);
    const int auth = m_auth->currentData().toInt();
    m_user->setEnabled(prometheus && auth == BasicAuth);
    m_password->setEnabled(prometheus && auth == BasicAuth);
    m_token->setEnabled(prometheus && auth == BearerAuth);
    QString problem;
    if (prometheus) {
        const QUrl url = QUrl::fromUserInput(m_url->text().trimmed());
        if (m_url->text().trimmed().isEmpty())
            problem = tr("Give the Prometheus server's URL.");
        else if (!url.isValid() || url.host().isEmpty() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
            problem = tr("The URL must be http:// or https:// with a host name.");
    }
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace Vigie
