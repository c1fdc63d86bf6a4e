#pragma once

#include <QObject>
#include <QStringList>

class QLabel;
class QWidget;

namespace Vigie {

class NetworkController;
struct ControllerSettings;
struct OvsdbCertificateProblem;

// The network controller's connection, in the window: File › Connect to network controller…
// (its remotes and TLS files, remembered at once), the question asked once per certificate that
// failed verification (trusted by its fingerprint, or not), and the status bar's dot and state.
class ControllerUi : public QObject
{
    Q_OBJECT

public:
    ControllerUi(NetworkController *network, QWidget *window);

    // The status bar's label: a coloured dot and the controller's state, its details as tooltip.
    [[nodiscard]] QLabel *statusLabel() const { return m_status; }
    // The controller as configured now, to show and remember (the demo's sockets are neither).
    [[nodiscard]] ControllerSettings settings() const;
    // File › Connect to network controller…
    void openDialog();

Q_SIGNALS:
    // The operator chose these remotes in the dialog (the TLS settings are applied already).
    void remotesChosen(const QStringList &northbound, const QStringList &southbound);

private:
    void askTrust(const OvsdbCertificateProblem &problem);
    void updateStatus();

    NetworkController *m_network;
    QWidget *m_window;
    QLabel *m_status;
    QStringList m_askedFingerprints; // certificates whose trust question is open
};

} // namespace Vigie
