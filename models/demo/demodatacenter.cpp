#include "demodatacenter.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

namespace Vigie {

DemoDatacenter::DemoDatacenter()
    : m_dir(QDir::tempPath() + QStringLiteral("/vigie-demo-XXXXXX"))
{
    if (!m_dir.isValid()) {
        m_error = QCoreApplication::translate("Vigie::DemoDatacenter", "cannot create a temporary directory: %1")
                      .arg(m_dir.errorString());
        return;
    }
    const QDir source(QStringLiteral(":/demo"));
    const QStringList files = source.entryList({QStringLiteral("*.xml")}, QDir::Files, QDir::Name);
    for (const QString &name : files) {
        const QString target = m_dir.filePath(name);
        if (!QFile::copy(source.filePath(name), target)) {
            m_error = QCoreApplication::translate("Vigie::DemoDatacenter", "cannot write %1").arg(target);
            m_uris.clear();
            return;
        }
        QFile::setPermissions(target, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        m_uris.append(QStringLiteral("test://") + target);
    }
    if (m_uris.isEmpty())
        m_error = QCoreApplication::translate("Vigie::DemoDatacenter", "no demo host files in this build");
}

} // namespace Vigie
