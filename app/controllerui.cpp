#include "controllerui.h"

#include "controllerdialog.h"
#include "displaytext.h"
#include "network/controllersettings.h"
#include "network/networkcontroller.h"
#include "network/ovsdbcertificateproblem.h"
#include "plaintext.h"
#include "stateicons.h"

#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>

namespace Vigie {

ControllerUi::ControllerUi(NetworkController *network, QWidget *window)
    : QObject(window)
    , m_network(network)
    , m_window(window)
    , m_status(new QLabel(window))
{
    m_status->setObjectName(QStringLiteral("controllerStatus"));
    connect(m_network, &NetworkController::stateChanged, this, &ControllerUi::updateStatus);
    connect(m_network, &NetworkController::certificateRejected, this, &ControllerUi::askTrust);
    updateStatus();
}

ControllerSettings ControllerUi::settings() const
{
    // The demo controller's sockets die with the process: neither shown nor remembered.
    if (m_network->isDemo())
        return {{}, {}, m_network->sslSettings()};
    return {m_network->remotes(), m_network->southboundRemotes(), m_network->sslSettings()};
}

void ControllerUi::openDialog()
{
    auto *dialog = new ControllerDialog(settings(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const ControllerSettings wanted = dialog->settings();
        m_network->setSslSettings(wanted.ssl);
        Q_EMIT remotesChosen(wanted.northbound, wanted.southbound);
        // Remembered at once, like a host: a crash does not lose it.
        QSettings settings;
        wanted.save(settings);
    });
    dialog->open();
}

void ControllerUi::askTrust(const OvsdbCertificateProblem &problem)
{
    if (m_askedFingerprints.contains(problem.sha256Fingerprint))
        return; // every reconnection attempt reports it again: one question is enough
    m_askedFingerprints.append(problem.sha256Fingerprint);
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Untrusted controller certificate"),
                                tr("The certificate of %1 failed verification.").arg(DisplayText::name(problem.remote)),
                                QMessageBox::Cancel, m_window);
    box->setInformativeText(tr("Subject: %1\nSHA-256: %2\n\n%3\n\nTrust it only if you checked this fingerprint with the "
                               "controller's administrator. Otherwise give the right CA certificate in File › Connect to "
                               "network controller….")
                                .arg(DisplayText::singleLine(problem.subject), problem.sha256Fingerprint,
                                     DisplayText::wrappable(problem.errors.join(u'\n'))));
    setPlainText(box);
    QPushButton *trust = box->addButton(tr("&Trust this certificate"), QMessageBox::AcceptRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, trust, fingerprint = problem.sha256Fingerprint] {
        m_askedFingerprints.removeAll(fingerprint);
        if (box->clickedButton() != trust)
            return;
        OvsdbSslSettings ssl = m_network->sslSettings();
        ssl.trustedFingerprints.append(fingerprint);
        m_network->setSslSettings(ssl);
        QSettings settings;
        this->settings().save(settings);
    });
    box->open();
}

void ControllerUi::updateStatus()
{
    const bool synced = m_network->isSynced();
    const QColor colour = !m_network->isConfigured() ? QColor(Qt::gray)
                          : synced                   ? connectionStateColor(ConnectionState::Connected)
                                                     : connectionStateColor(ConnectionState::Unreachable);
    // Our markup (a coloured dot) around the controller's state, which can quote an error message.
    m_status->setText(QStringLiteral("<span style='color:%1'>●</span> %2")
                          .arg(colour.name(), DisplayText::html(m_network->stateText(), DisplayText::MaxLength)));
    m_status->setToolTip(DisplayText::toolTip(m_network->stateDetails()));
}

} // namespace Vigie
