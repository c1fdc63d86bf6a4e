#pragma once

#include "consolesessionbase.h"
#include "vnckeys.h"
#include "vncworker.h"
#include "workerthread.h"

#include <QByteArray>
#include <QSize>

#include <memory>

namespace Vigie {

struct VncKeySink;

// The graphical console (VNC display) of one VM, for a view on the GUI thread: opens it through
// the host's own connection (libvirt's graphics channel where the transport allows it, the
// display's address otherwise), passes on the operator's keys and pointer, types text as key
// events, and sends key combinations through virDomainSendKey on the host's thread; when to
// open, retry and let go is ConsoleSessionBase's, as for the serial console. The display is read
// on a thread of its own (VncWorker); frames arrive as frameUpdated. Never blocks. NoDevice means
// "no graphics".
class VncSession : public ConsoleSessionBase
{
    Q_OBJECT

public:
    // Characters the Type clipboard action types at most.
    static constexpr int MaxTypedCharacters = 4096;

    VncSession(SessionManager *sessions, Inventory *inventory, QObject *parent = nullptr);
    ~VncSession() override;

    // The operator's answer to passwordRequired: kept until the next open, then wiped.
    void setPassword(const QString &password);

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
    void passwordRequired(const QString &detail);
    // The frame now is framePixels(); RECT changed (the whole frame when its size changed).
    void frameUpdated(const QRect &rect);
    void typingProgress(int done, int total);
    void keysSent(const QString &label, bool ok, const QString &message);

private:
    void openChannel(HypervisorSession *session, quint64 serial, bool force) override;
    void closeChannel(quint64 serial) override;
    void vmChanged() override;

    QByteArray m_password;
    bool m_passwordNeeded = false;
    QString m_connection;
    bool m_encrypted = false;
    QByteArray m_pixels;
    QSize m_frameSize;
    std::shared_ptr<VncKeySink> m_keySink; // answers of virDomainSendKey, from the host's thread
    VncWorker *m_worker; // lives on m_thread, deleted when it finishes
    WorkerThread m_thread;
};

} // namespace Vigie
