#include "ovnsouthbound.h"

#include "network/ovntext.h"
#include "network/ovsdbclient.h"

#include <algorithm>

namespace Vigie {

namespace {

const QString Chassis = QStringLiteral("Chassis");
const QString Encap = QStringLiteral("Encap");
const QString PortBinding = QStringLiteral("Port_Binding");

QMap<QString, QString> parseMappings(const QString &text)
{
    // "physnet1:br-phys,physnet2:br-ex"
    QMap<QString, QString> mappings;
    for (const QString &pair : text.split(u',', Qt::SkipEmptyParts)) {
        const qsizetype colon = pair.indexOf(u':');
        if (colon > 0)
            mappings.insert(pair.left(colon).trimmed(), pair.mid(colon + 1).trimmed());
    }
    return mappings;
}

OvnChassis chassisFrom(const OvsdbCache &cache, const QString &uuid, const OvsdbRow &row)
{
    OvnChassis c;
    c.uuid = uuid;
    c.name = OvnText::bounded(row.value(QStringLiteral("name")).toString());
    c.hostname = OvnText::bounded(row.value(QStringLiteral("hostname")).toString());
    const QString key = QStringLiteral("ovn-bridge-mappings");
    QString mappings = row.value(QStringLiteral("other_config")).toStringMap().value(key);
    if (mappings.isEmpty())
        mappings = row.value(QStringLiteral("external_ids")).toStringMap().value(key);
    c.bridgeMappings = OvnText::boundedMap(parseMappings(OvnText::bounded(mappings, OvnText::MaxValue)));
    for (const QString &encap : row.value(QStringLiteral("encaps")).toStringList()) {
        if (c.encaps.size() == OvnText::MaxEntries)
            break;
        if (const OvsdbRow *e = cache.row(Encap, encap)) {
            c.encaps.append(OvnText::bounded(e->value(QStringLiteral("type")).toString() + u' '
                                             + e->value(QStringLiteral("ip")).toString()));
        }
    }
    std::sort(c.encaps.begin(), c.encaps.end());
    return c;
}

OvnPortBinding bindingFrom(const QString &uuid, const OvsdbRow &row)
{
    OvnPortBinding b;
    b.uuid = uuid;
    b.logicalPort = OvnText::bounded(row.value(QStringLiteral("logical_port")).toString());
    b.type = OvnText::bounded(row.value(QStringLiteral("type")).toString());
    b.chassis = row.value(QStringLiteral("chassis")).toString();
    b.additionalChassis = OvnText::boundedList(row.value(QStringLiteral("additional_chassis")).toStringList());
    b.requestedChassis = row.value(QStringLiteral("requested_chassis")).toString();
    const OvsdbDatum up = row.value(QStringLiteral("up"));
    if (!up.isEmpty())
        b.up = up.toBool();
    return b;
}

} // namespace

OvnSouthbound::OvnSouthbound(QObject *parent)
    : QObject(parent)
{
}

QHash<QString, QStringList> OvnSouthbound::monitoredTables()
{
    return {
        {Chassis,
         {QStringLiteral("name"), QStringLiteral("hostname"), QStringLiteral("encaps"), QStringLiteral("external_ids"),
          QStringLiteral("other_config")}},
        {Encap, {QStringLiteral("type"), QStringLiteral("ip")}},
        {PortBinding,
         {QStringLiteral("logical_port"), QStringLiteral("type"), QStringLiteral("chassis"),
          QStringLiteral("additional_chassis"), QStringLiteral("requested_chassis"), QStringLiteral("up")}},
    };
}

void OvnSouthbound::attach(OvsdbClient *client)
{
    if (m_client)
        m_client->disconnect(this);
    m_client = client;
    client->setDatabase(QStringLiteral("OVN_Southbound"));
    client->setMonitoredTables(monitoredTables());
    connect(client, &OvsdbClient::cacheChanged, this, [this](const OvsdbChangeSet &changes) {
        if (m_client)
            applyChanges(m_client->cache(), changes);
    });
}

void OvnSouthbound::clear()
{
    if (m_chassis.isEmpty() && m_bindings.isEmpty())
        return;
    const QStringList ports = m_bindingByPort.keys();
    m_chassis.clear();
    m_bindings.clear();
    m_bindingByPort.clear();
    Q_EMIT chassisChanged();
    if (!ports.isEmpty())
        Q_EMIT bindingsChanged(ports);
    Q_EMIT changesApplied();
}

const OvnPortBinding *OvnSouthbound::bindingOf(const QString &logicalPort) const
{
    const auto it = m_bindingByPort.constFind(logicalPort);
    if (it == m_bindingByPort.cend())
        return nullptr;
    const auto binding = m_bindings.constFind(*it);
    return binding == m_bindings.cend() ? nullptr : &*binding;
}

void OvnSouthbound::applyChanges(const OvsdbCache &cache, const OvsdbChangeSet &changes)
{
    const QHash<QString, OvsdbChangeSet::Kind> chassisChanges = changes.table(Chassis);
    const QHash<QString, OvsdbChangeSet::Kind> encapChanges = changes.table(Encap);
    const QHash<QString, OvsdbChangeSet::Kind> bindingChanges = changes.table(PortBinding);
    if (chassisChanges.isEmpty() && encapChanges.isEmpty() && bindingChanges.isEmpty())
        return;

    QList<QString> chassisToDerive = chassisChanges.keys();
    if (!encapChanges.isEmpty())
        chassisToDerive = cache.table(Chassis).keys() + m_chassis.keys();
    bool chassisDiffer = false;
    for (const QString &uuid : std::as_const(chassisToDerive)) {
        const auto old = m_chassis.constFind(uuid);
        if (const OvsdbRow *row = cache.row(Chassis, uuid)) {
            OvnChassis chassis = chassisFrom(cache, uuid, *row);
            chassisDiffer = chassisDiffer || old == m_chassis.cend() || !(*old == chassis);
            m_chassis.insert(uuid, std::move(chassis));
        } else if (old != m_chassis.cend()) {
            chassisDiffer = true;
            m_chassis.erase(old);
        }
    }

    QStringList ports;
    for (auto it = bindingChanges.cbegin(); it != bindingChanges.cend(); ++it) {
        const QString &uuid = it.key();
        if (const auto old = m_bindings.constFind(uuid); old != m_bindings.cend()) {
            ports.append(old->logicalPort);
            if (m_bindingByPort.value(old->logicalPort) == uuid)
                m_bindingByPort.remove(old->logicalPort);
        }
        const OvsdbRow *row = cache.row(PortBinding, uuid);
        if (!row) {
            m_bindings.remove(uuid);
            continue;
        }
        const OvnPortBinding binding = bindingFrom(uuid, *row);
        ports.append(binding.logicalPort);
        m_bindingByPort.insert(binding.logicalPort, uuid);
        m_bindings.insert(uuid, binding);
    }
    if (chassisDiffer)
        Q_EMIT chassisChanged();
    if (!ports.isEmpty()) {
        ports.removeDuplicates();
        Q_EMIT bindingsChanged(ports);
    }
    Q_EMIT changesApplied();
}

} // namespace Vigie
