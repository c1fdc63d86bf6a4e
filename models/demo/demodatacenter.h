#pragma once

#include <QStringList>
#include <QTemporaryDir>

namespace Vigie {

// The embedded demo datacenter: libvirt test-driver node files shipped in the resources
// (:/demo/*.xml). libvirt reads them from disk, so they are copied to a private temporary
// directory that lives as long as this object; each file is one host, test:///<dir>/<file>.
class DemoDatacenter
{
public:
    DemoDatacenter();

    [[nodiscard]] bool isValid() const { return m_error.isEmpty(); }
    [[nodiscard]] QString errorString() const { return m_error; }
    [[nodiscard]] QStringList uris() const { return m_uris; }

private:
    QTemporaryDir m_dir;
    QStringList m_uris;
    QString m_error;
};

} // namespace Vigie
