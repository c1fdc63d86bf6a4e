#pragma once

#include <QFile>
#include <QHostAddress>
#include <QList>
#include <QMutex>
#include <QPair>
#include <QPoint>
#include <QTcpServer>

#include <algorithm>
#include <vector>

#include <rfb/rfb.h>

namespace Vigie::Test {

// A 64x48 VNC server on the loopback with a password, for tests: libvncserver, run by its own
// thread, one colour (0x102030) in its frame. What the client sends (keys, pointer) is recorded.
class TestVncServer
{
public:
    static constexpr int Width = 64;
    static constexpr int Height = 48;

    explicit TestVncServer(const char *password)
    {
        m_passwords[0] = const_cast<char *>(password);
        m_screen = rfbGetScreen(nullptr, nullptr, Width, Height, 8, 3, 4);
        m_pixels.resize(size_t(Width) * Height);
        const rfbPixelFormat &format = m_screen->serverFormat;
        // One colour, 0x102030, in the server's own pixel layout.
        const quint32 pixel = (0x10u << format.redShift) | (0x20u << format.greenShift) | (0x30u << format.blueShift);
        std::fill(m_pixels.begin(), m_pixels.end(), pixel);
        m_screen->frameBuffer = reinterpret_cast<char *>(m_pixels.data());
        m_screen->authPasswdData = m_passwords;
        m_screen->passwordCheck = rfbCheckPasswordByList;
        m_screen->screenData = this;
        m_screen->kbdAddEvent = [](rfbBool down, rfbKeySym key, rfbClientPtr client) {
            auto *self = static_cast<TestVncServer *>(client->screen->screenData);
            const QMutexLocker lock(&self->m_mutex);
            self->m_keys.append({quint32(key), bool(down)});
        };
        m_screen->ptrAddEvent = [](int buttons, int x, int y, rfbClientPtr client) {
            auto *self = static_cast<TestVncServer *>(client->screen->screenData);
            const QMutexLocker lock(&self->m_mutex);
            self->m_pointer = QPoint(x, y);
            self->m_buttons = buttons;
        };
        // A free port of the loopback, taken by the server itself.
        QTcpServer probe;
        if (probe.listen(QHostAddress::LocalHost))
            m_port = probe.serverPort();
        probe.close();
        m_screen->port = m_port;
        m_screen->ipv6port = 0;
        m_screen->listenInterface = htonl(INADDR_LOOPBACK);
        m_screen->autoPort = FALSE;
        rfbLogEnable(0);
        rfbInitServer(m_screen);
        rfbRunEventLoop(m_screen, 10000, TRUE);
    }
    ~TestVncServer()
    {
        rfbShutdownServer(m_screen, TRUE);
        rfbScreenCleanup(m_screen);
    }
    // A node file for libvirt's test driver: one running domain, "vnc-guest" (DomainUuid), whose
    // VNC display is this server. Returns its test:/// URI, empty if it could not be written.
    static constexpr const char *DomainUuid = "6e6f6465-0000-4000-8000-00000000f001";
    [[nodiscard]] QString writeNodeFile(const QString &path) const { return writeNodeFile(path, m_port); }
    // The same for a VNC display served elsewhere, at PORT on 127.0.0.1.
    [[nodiscard]] static QString writeNodeFile(const QString &path, int port)
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(QStringLiteral(R"(<node>
  <domain type='test'>
    <name>vnc-guest</name>
    <uuid>%1</uuid>
    <memory>65536</memory>
    <vcpu>1</vcpu>
    <os><type>hvm</type></os>
    <devices><graphics type='vnc' port='%2' autoport='no' listen='127.0.0.1'/></devices>
  </domain>
</node>)").arg(QLatin1String(DomainUuid)).arg(port).toUtf8());
        return QStringLiteral("test://") + path;
    }
    [[nodiscard]] bool listening() const { return m_screen->listenSock >= 0 && m_port > 0; }
    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] QList<QPair<quint32, bool>> keys()
    {
        const QMutexLocker lock(&m_mutex);
        return m_keys;
    }
    [[nodiscard]] QPoint pointer()
    {
        const QMutexLocker lock(&m_mutex);
        return m_pointer;
    }

private:
    rfbScreenInfoPtr m_screen = nullptr;
    std::vector<quint32> m_pixels;
    char *m_passwords[2] = {nullptr, nullptr};
    int m_port = 0;
    QMutex m_mutex;
    QList<QPair<quint32, bool>> m_keys;
    QPoint m_pointer{-1, -1};
    int m_buttons = 0;
};


} // namespace Vigie::Test
