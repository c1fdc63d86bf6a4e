#pragma once

#include <QObject>
#include <QSet>
#include <QString>

namespace Vigie {

// Which connections are read-only: all of them (--read-only) or single hosts (the Connect
// dialog's checkbox). The hypervisor enforces it: such a connection is opened with
// VIR_CONNECT_RO, over the daemon's read-only socket, and libvirt refuses every write on it.
// This class only lets the window say so before the operator tries. Lives on the GUI thread.
class AccessPolicy : public QObject
{
    Q_OBJECT

public:
    explicit AccessPolicy(QObject *parent = nullptr) : QObject(parent) {}

    // Every connection, present and future.
    void setAllReadOnly(bool readOnly);
    [[nodiscard]] bool allReadOnly() const { return m_all; }
    void setReadOnly(const QString &uri, bool readOnly);
    [[nodiscard]] bool isReadOnly(const QString &uri) const { return m_all || m_uris.contains(uri); }
    // Why nothing may be changed through the connection to URI (translated), or empty.
    [[nodiscard]] QString writeRefusal(const QString &uri) const;
    // The first refusal among URIS, or empty.
    [[nodiscard]] QString writeRefusal(const QStringList &uris) const;

    // The URI to open for URI when read-only: a daemon's unix socket named explicitly
    // (?socket=.../libvirt-sock) becomes its read-only twin (libvirt-sock-ro), which libvirt
    // chooses by itself only when no socket is named. Any other URI is returned as it is.
    [[nodiscard]] static QString readOnlyUri(const QString &uri);

Q_SIGNALS:
    void changed();

private:
    bool m_all = false;
    QSet<QString> m_uris;
};

} // namespace Vigie
