#pragma once

#include <QStringList>
#include <QTemporaryDir>

#include <memory>

class QLocale;

namespace Vigie {

class DemoOvsdbServer;

// The embedded demo datacenter: libvirt test-driver node files shipped in the resources
// (:/demo/*.xml). libvirt reads them from disk, so they are copied to a private temporary
// directory that lives as long as this object; each file is one host, test:///<dir>/<file>.
// Its network controller is simulated too: an OVN northbound and southbound database
// (:/demo/ovn-*.json, consistent with the node files) served in memory by two DemoOvsdbServers
// on sockets in the same directory, so that Vigie reads and changes them through the same client
// and mapping as a real controller. Create on a thread with an event loop (the servers' thread).
class DemoDatacenter
{
public:
    DemoDatacenter();
    ~DemoDatacenter();

    [[nodiscard]] bool isValid() const { return m_error.isEmpty(); }
    [[nodiscard]] QString errorString() const { return m_error; }
    [[nodiscard]] QStringList uris() const { return m_uris; }

    // The simulated controller's remotes (unix:...), or none when it could not start (why:
    // networkError(); the hosts work without it).
    [[nodiscard]] QStringList controllerRemotes() const;
    [[nodiscard]] QStringList southboundRemotes() const;
    [[nodiscard]] QString networkError() const { return m_networkError; }
    [[nodiscard]] DemoOvsdbServer *northboundServer() const { return m_northbound.get(); }
    [[nodiscard]] DemoOvsdbServer *southboundServer() const { return m_southbound.get(); }

    // A node file as the interface's language wants it: as written (French) for French, the
    // VMs' titles and descriptions in English otherwise.
    [[nodiscard]] static QByteArray localisedNodeFile(const QByteArray &xml, const QLocale &locale);

private:
    std::unique_ptr<DemoOvsdbServer> startServer(const QString &base, const QString &socketName);

    QTemporaryDir m_dir;
    QStringList m_uris;
    QString m_error;
    QString m_networkError;
    std::unique_ptr<DemoOvsdbServer> m_northbound;
    std::unique_ptr<DemoOvsdbServer> m_southbound;
};

} // namespace Vigie
