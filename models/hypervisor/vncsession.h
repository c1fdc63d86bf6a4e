#pragma once

#include "consolestatemachine.h"
#include "inventory/vminfo.h"
#include "vnckeys.h"
#include "vncworker.h"
#include "workerthread.h"

#include <QByteArray>
#include <QSize>
#include <QObject>
#include <QTimer>

#include <memory>

namespace Vigie {

class Inventory;
class SessionManager;
struct VncKeySink;

// The graphical console (VNC display) of one VM, for a view on the GUI thread: opens it through
// the host's own connection (libvirt's graphics channel where the transport allows it, the
// display's address otherwise), follows the VM and its host in the inventory (reopens when the VM
// starts again or the host comes back), passes on the operator's keys and pointer, types text as
// key events, and sends key combinations through virDomainSendKey on the host's thread. The
// display is read on a thread of its own (VncWorker); frames arrive as frameUpdated. Never
// blocks. Its states are the serial console's (ConsoleState): NoDevice means "no graphics".
class VncSession : public QObject
{
    Q_OBJECT

public:
    // Characters the Type clipboard action types at most.
    static constexpr int MaxTypedCharacters = 4096;

    VncSession(SessionManager *sessions, Inventory *inventory, QObject *parent = nullptr);
    ~VncSession() override;

    void setVm(const VmKey &vm);
    [[nodiscard]] VmKey vm() const { return m_vm; }

    void start();
    void stop();
    void retry();
    // The operator's answer to passwordRequired: kept until the next open, then wiped.
    void setPassword(const QString &password);

    [[nodiscard]] ConsoleState state() const { return m_machine.state(); }
    [[nodiscard]] QString detail() const { return m_machine.detail(); }
    // How it is connected ("through libvirt", "host:5900"), and whether the link is encrypted.
    [[nodiscard]] QString connection() const { return m_connection; }
    [[nodiscard]] bool encrypted() const { return m_encrypted; }
    [[nodiscard]] bool passwordNeeded() const { return m_passwordNeeded; }
    // The whole frame as last received, rows of frameSize().width() 0xffRRGGBB words (the layout
    // of QImage::Format_RGB32); empty before the first.
    [[nodiscard]] const QByteArray &framePixels() const { return m_pixels; }
    [[nodiscard]] QSize frameSize() const { return m_frameSize; }

    // Dropped unless connected.
    void sendKey(quint32 keysym, bool down);
    void sendPointer(int x, int y, int buttons);
    // Types TEXT (at most MaxTypedCharacters); returns how many characters it types (0: nothing,
    // or not connected). Progress comes as typingProgress.
    int typeText(const QString &text);
    void cancelTyping();
    // A combination of VncKeys::combinations() (by id), through libvirt; ends with keysSent.
    bool sendCombination(const QString &id);

Q_SIGNALS:
    void stateChanged(Vigie::ConsoleState state, const QString &detail);
    void passwordRequired(const QString &detail);
    // The frame now is framePixels(); RECT changed (the whole frame when its size changed).
    void frameUpdated(const QRect &rect);
    void typingProgress(int done, int total);
    void keysSent(const QString &label, bool ok, const QString &message);

private:
    void apply(ConsoleStateMachine::Action action);
    [[nodiscard]] bool vmRunning() const;
    [[nodiscard]] bool hostUp() const;

    SessionManager *m_sessions;
    Inventory *m_inventory;
    VmKey m_vm;
    ConsoleStateMachine m_machine;
    ConsoleState m_announcedState = ConsoleState::Closed;
    QString m_announcedDetail;
    quint64 m_serial = 0;
    QByteArray m_password;
    bool m_passwordNeeded = false;
    QString m_connection;
    bool m_encrypted = false;
    QByteArray m_pixels;
    QSize m_frameSize;
    std::shared_ptr<VncKeySink> m_keySink; // answers of virDomainSendKey, from the host's thread
    VncWorker *m_worker; // lives on m_thread, deleted when it finishes
    WorkerThread m_thread;
    QTimer m_retryTimer;
};

} // namespace Vigie
