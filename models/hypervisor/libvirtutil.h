#pragma once

#include <QString>

#include <memory>
#include <vector>

struct _virConnect;
struct _virDomain;
struct _virNetwork;
struct _virStoragePool;
struct _virStorageVol;

namespace Vigie::Libvirt {

// Keepalive of every connection Vigie opens: with the count, a dead or frozen daemon is noticed
// within ~8 s.
inline constexpr int KeepAliveIntervalS = 2;
inline constexpr int KeepAliveCount = 3;

// The last libvirt error of this thread: what the remote daemon, QEMU or a hook wrote, bounded
// like the domain XML's text (it is shown to the operator).
[[nodiscard]] QString lastError();
// The error code says the driver cannot do it (rather than that it failed).
[[nodiscard]] bool isUnsupported(int code);
[[nodiscard]] QString uuidOf(_virDomain *domain);
// "host is not connected", translated.
[[nodiscard]] QString notConnected();

// Owning handles: each frees (or, for a connection, drops its reference to) what libvirt gave.
struct Release
{
    void operator()(_virConnect *conn) const;
    void operator()(_virDomain *domain) const;
    void operator()(_virNetwork *network) const;
    void operator()(_virStoragePool *pool) const;
    void operator()(_virStorageVol *volume) const;
    // Strings libvirt returns are the caller's to free().
    void operator()(char *text) const;
};
using Connection = std::unique_ptr<_virConnect, Release>;
using Domain = std::unique_ptr<_virDomain, Release>;
using Network = std::unique_ptr<_virNetwork, Release>;
using StoragePool = std::unique_ptr<_virStoragePool, Release>;
using StorageVolume = std::unique_ptr<_virStorageVol, Release>;
using String = std::unique_ptr<char, Release>;

// Takes a string libvirt returned (null: empty).
[[nodiscard]] QByteArray take(char *text);
// Frees an array libvirt returned.
void freeArray(void *array);

// Takes what a virConnectListAll* call returned: its COUNT objects, each in its handle, and the
// array freed. A negative COUNT (the call failed) gives none.
template<typename Handle>
[[nodiscard]] std::vector<Handle> takeAll(typename Handle::pointer *array, int count)
{
    std::vector<Handle> handles;
    handles.reserve(count > 0 ? size_t(count) : 0);
    for (int i = 0; i < count; ++i)
        handles.emplace_back(array[i]);
    freeArray(array);
    return handles;
}

// The domain UUID of CONN, or empty (lastError() says why).
[[nodiscard]] Domain lookup(_virConnect *conn, const QString &uuid);

} // namespace Vigie::Libvirt
