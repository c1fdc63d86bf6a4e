#pragma once

#include "connectionlease.h"
#include "vnckeys.h"

#include <QByteArray>
#include <QObject>
#include <QRect>
#include <QSize>
#include <QTimer>

#include <functional>
#include <memory>

struct _rfbClient;

namespace Vigie {

struct VncSink;

// Where a domain's VNC display listens, from its live XML (see VncWorker::parseGraphics).
struct VncGraphics
{
    int index = -1;       // of the VNC display among the domain's <graphics>, -1 if it has none
    QString otherType;    // the first graphics of another kind ("spice"), when there is no VNC
    QString listen;       // address (empty: the host's own)
    int port = -1;        // -1: not allocated (VM not running) or no TCP listener
    QString socket;       // a unix socket path instead of a port
};

// Why opening a display failed, as far as the view cares.
enum class VncRefusal {
    NotRunning,
    NoDisplay,       // no VNC graphics (none at all, or only SPICE)
    Unsupported,     // the driver cannot hand the display out, and it listens nowhere reachable
    PasswordNeeded,  // the server asked for a password Vigie did not have (or was refused)
    Other,
};

// One VM's VNC display, on a thread of its own (see VncSession): libvncclient's rfbClient,
// connected through virDomainOpenGraphicsFD when the connection passes file descriptors (local
// and unix-socket URIs), or to the address and port of the domain's live XML otherwise. The
// server's messages are read between short waits (WaitForMessage) driven by a timer, so the
// operator's keys and pointer, queued here, are sent in between. Damaged parts of the frame go
// out as copies, at most every FrameIntervalMs. Every answer carries the serial of the
// open it belongs to; VncSession ignores old ones.
class VncWorker : public QObject
{
    Q_OBJECT

public:
    static constexpr int FrameIntervalMs = 30;
    static constexpr int StrokesPerTick = 16; // typing pace: 8 characters every TypingTickMs
    static constexpr int TypingTickMs = 15;

    VncWorker();
    ~VncWorker() override;

    // Thread-safe: what HypervisorSession::leaseConnection calls with the lease, on the host's
    // thread; it queues open() here, or nothing if the worker is gone. PASSWORD is wiped after use.
    [[nodiscard]] std::function<void(Vigie::ConnectionLease, QString)>
    leaseReceiver(quint64 serial, const QString &uuid, const QByteArray &password) const;

    // Slots, invoked through queued calls.
    void open(quint64 serial, const Vigie::ConnectionLease &lease, const QString &reason, const QString &uuid,
              QByteArray password);
    void close(quint64 serial);
    void sendKey(quint64 serial, quint32 keysym, bool down);
    void sendPointer(quint64 serial, int x, int y, int buttons);
    void type(quint64 serial, const QList<Vigie::VncKeyStroke> &strokes);
    void cancelTyping(quint64 serial);

    // The VNC display of a domain's live XML.
    [[nodiscard]] static VncGraphics parseGraphics(const QString &domainXml);
    // The files of libvirt's VNC TLS setup found here, for a display that asks for VeNCrypt
    // with certificates: the CA (and its CRL), and a client certificate with its key. Empty
    // where none is found.
    struct TlsFiles
    {
        QString caCert;
        QString caCrl;
        QString clientCert;
        QString clientKey;
    };
    [[nodiscard]] static TlsFiles tlsFiles();

Q_SIGNALS:
    // HOW: how it is connected, for the status line ("libvirt's graphics channel", "host:port").
    void opened(quint64 serial, const QString &how, bool encrypted);
    void openFailed(quint64 serial, Vigie::VncRefusal refusal, const QString &message);
    // PIXELS: the frame's part at RECT, in a frame of SIZE, as rows of 0xffRRGGBB words (the
    // layout of QImage::Format_RGB32, without needing Qt GUI here).
    void frameUpdated(quint64 serial, QSize size, QRect rect, const QByteArray &pixels);
    void ended(quint64 serial, const QString &reason);
    // Key events of the text being typed sent so far, out of TOTAL (DONE == TOTAL: finished).
    void typingProgress(quint64 serial, int done, int total);

private:
    friend struct VncCallbacks;
    void pump();
    void flushFrame();
    void typeSome();
    void end(const QString &reason);
    void closeClient();
    bool handshake(const QString &uuid, QString *error, VncRefusal *refusal);

    _rfbClient *m_client = nullptr;
    quint64 m_serial = 0;
    quint64 m_cancelled = 0;
    std::shared_ptr<VncSink> m_sink;
    QByteArray m_password;
    bool m_passwordAsked = false;
    bool m_tlsAsked = false; // the display asked for VeNCrypt with certificates
    QString m_tlsCa;         // the CA file it was checked against (empty: the system's store)
    QRect m_damage; // the bounding box of what changed since the last frame sent
    QSize m_sentSize; // the frame size the view has
    QTimer m_pumpTimer{this};
    QTimer m_frameTimer{this};
    QList<VncKeyStroke> m_typing;
    qsizetype m_typed = 0;
    QTimer m_typingTimer{this};
};

} // namespace Vigie

Q_DECLARE_METATYPE(Vigie::VncRefusal)
