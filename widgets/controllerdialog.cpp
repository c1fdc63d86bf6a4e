#include "controllerdialog.h"

#include "plaintext.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace Vigie {

ControllerDialog::ControllerDialog(const ControllerSettings &current, QWidget *parent)
    : QDialog(parent)
    , m_current(current)
    , m_northbound(new QLineEdit(current.northbound.join(u' '), this))
    , m_southbound(new QLineEdit(current.southbound.join(u' '), this))
    , m_ssl(new QGroupBox(tr("TLS (for ssl: remotes)"), this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
    , m_disconnect(new QPushButton(tr("&Disconnect"), this))
{
    setWindowTitle(tr("Connect to network controller"));
    setObjectName(QStringLiteral("controllerDialog"));

    auto *intro = new QLabel(tr("Vigie reads the OVN northbound database (logical switches and ports) and, when given, the "
                                "southbound one (chassis and where each port is bound). Several remotes: the members of a "
                                "cluster, separated by spaces."),
                             this);
    intro->setWordWrap(true);

    m_northbound->setObjectName(QStringLiteral("northboundRemotes"));
    m_northbound->setPlaceholderText(QStringLiteral("tcp:192.0.2.10:6641"));
    m_northbound->setToolTip(tr("As ovn-nbctl's --db: tcp:HOST:6641, ssl:HOST:6641 or unix:PATH"));
    m_southbound->setObjectName(QStringLiteral("southboundRemotes"));
    m_southbound->setPlaceholderText(QStringLiteral("tcp:192.0.2.10:6642"));
    m_southbound->setToolTip(tr("As ovn-sbctl's --db: tcp:HOST:6642, ssl:HOST:6642 or unix:PATH. Optional: without it "
                                "Vigie cannot tell where ports are bound."));
    auto *remotes = new QFormLayout;
    remotes->addRow(tr("&Northbound:"), m_northbound);
    remotes->addRow(tr("&Southbound:"), m_southbound);

    m_ssl->setObjectName(QStringLiteral("sslGroup"));
    auto *files = new QFormLayout(m_ssl);
    const QString pem = tr("PEM files (*.pem *.crt *.key);;All files (*)");
    m_caCertificate = fileField(QStringLiteral("caCertificate"), tr("CA certificate"), pem, current.ssl.caCertificateFile);
    m_certificate = fileField(QStringLiteral("certificate"), tr("Client certificate"), pem, current.ssl.certificateFile);
    m_privateKey = fileField(QStringLiteral("privateKey"), tr("Private key"), pem, current.ssl.privateKeyFile);
    m_caCertificate->setToolTip(tr("The CA that signed the databases' certificates (ovn-nbctl's --ca-cert)"));
    m_certificate->setToolTip(tr("Vigie's own certificate, when the databases ask for one (ovn-nbctl's --certificate)"));
    m_privateKey->setToolTip(tr("The key of that certificate (ovn-nbctl's --private-key). Only its path is remembered."));
    files->addRow(tr("&CA certificate:"), m_caCertificate->parentWidget());
    files->addRow(tr("C&ertificate:"), m_certificate->parentWidget());
    files->addRow(tr("Private &key:"), m_privateKey->parentWidget());

    m_problem->setObjectName(QStringLiteral("controllerProblem"));
    makePlainWrappingLabel(m_problem);
    m_problem->setStyleSheet(QStringLiteral("color: #b03030"));

    m_buttons->addButton(tr("C&onnect"), QDialogButtonBox::AcceptRole)->setObjectName(QStringLiteral("connectButton"));
    m_disconnect->setObjectName(QStringLiteral("disconnectButton"));
    m_disconnect->setToolTip(tr("Forget the controller: Vigie shows libvirt's network picture only"));
    m_disconnect->setEnabled(!current.northbound.isEmpty());
    m_buttons->addButton(m_disconnect, QDialogButtonBox::ResetRole);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_disconnect, &QPushButton::clicked, this, [this] {
        m_disconnecting = true;
        accept();
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(remotes);
    layout->addWidget(m_ssl);
    layout->addWidget(m_problem);
    layout->addStretch(1);
    layout->addWidget(m_buttons);

    for (QLineEdit *edit : {m_northbound, m_southbound, m_caCertificate, m_certificate, m_privateKey})
        connect(edit, &QLineEdit::textChanged, this, &ControllerDialog::validate);
    validate();
    resize(560, sizeHint().height());
}

QLineEdit *ControllerDialog::fileField(const QString &objectName, const QString &title, const QString &filter, const QString &value)
{
    auto *row = new QWidget(m_ssl);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *edit = new QLineEdit(value, row);
    edit->setObjectName(objectName);
    auto *browse = new QToolButton(row);
    browse->setText(QStringLiteral("…"));
    browse->setToolTip(tr("Choose the file"));
    connect(browse, &QToolButton::clicked, this, [this, edit, title, filter] {
        const QString file = QFileDialog::getOpenFileName(this, title, edit->text(), filter);
        if (!file.isEmpty())
            edit->setText(file);
    });
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    return edit;
}

ControllerSettings ControllerDialog::settings() const
{
    ControllerSettings settings;
    settings.ssl = m_current.ssl; // trusted fingerprints stay
    if (m_disconnecting)
        return settings;
    settings.northbound = ControllerSettings::parseRemotes(m_northbound->text());
    settings.southbound = ControllerSettings::parseRemotes(m_southbound->text());
    settings.ssl.caCertificateFile = m_caCertificate->text().trimmed();
    settings.ssl.certificateFile = m_certificate->text().trimmed();
    settings.ssl.privateKeyFile = m_privateKey->text().trimmed();
    return settings;
}

void ControllerDialog::validate()
{
    const ControllerSettings wanted = settings();
    m_ssl->setEnabled(wanted.usesSsl());
    QString problem = wanted.problem();
    if (problem.isEmpty() && wanted.northbound.isEmpty())
        problem = tr("Give the northbound database's remote.");
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    const auto buttons = m_buttons->buttons();
    for (QAbstractButton *button : buttons) {
        if (m_buttons->buttonRole(button) == QDialogButtonBox::AcceptRole)
            button->setEnabled(problem.isEmpty());
    }
}

} // namespace Vigie
