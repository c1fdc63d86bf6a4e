#include "accesspolicy.h"

#include <QCoreApplication>
#include <QUrl>
#include <QUrlQuery>

namespace Vigie {

void AccessPolicy::setAllReadOnly(bool readOnly)
{
    if (m_all == readOnly)
        return;
    m_all = readOnly;
    Q_EMIT changed();
}

void AccessPolicy::setReadOnly(const QString &uri, bool readOnly)
{
    if (readOnly == m_uris.contains(uri))
        return;
    if (readOnly)
        m_uris.insert(uri);
    else
        m_uris.remove(uri);
    Q_EMIT changed();
}

QString AccessPolicy::writeRefusal(const QString &uri) const
{
    if (!isReadOnly(uri))
        return {};
    return QCoreApplication::translate("Vigie::AccessPolicy",
                                       "read-only connection: the hypervisor refuses every change through it");
}

QString AccessPolicy::writeRefusal(const QStringList &uris) const
{
    for (const QString &uri : uris) {
        if (QString refusal = writeRefusal(uri); !refusal.isEmpty())
            return refusal;
    }
    return {};
}

QString AccessPolicy::readOnlyUri(const QString &uri)
{
    QUrl url(uri, QUrl::StrictMode);
    if (!url.isValid() || !url.hasQuery())
        return uri;
    QUrlQuery query(url);
    QList<std::pair<QString, QString>> items = query.queryItems(QUrl::FullyDecoded);
    bool changed = false;
    for (auto &[key, value] : items) {
        if (key == QLatin1String("socket")
            && (value.endsWith(QLatin1String("/libvirt-sock")) || value == QLatin1String("libvirt-sock"))) {
            value += QStringLiteral("-ro");
            changed = true;
        }
    }
    if (!changed)
        return uri;
    query.setQueryItems(items);
    url.setQuery(query);
    return url.toString(QUrl::FullyEncoded);
}

} // namespace Vigie
