#include "policymodel.h"

#include "itemmodels/roles.h"
#include "network/acltext.h"
#include "network/networkcontroller.h"
#include "network/networkcorrelation.h"
#include "network/ovnnorthbound.h"

#include <algorithm>

namespace Vigie {

namespace {

constexpr quintptr TopLevel = 0;

} // namespace

PolicyModel::PolicyModel(NetworkController *controller, QObject *parent)
    : QAbstractItemModel(parent)
    , m_controller(controller)
{
    connect(controller->policy(), &OvnPolicy::changed, this, &PolicyModel::rebuild);
    connect(controller->correlation(), &NetworkCorrelation::matchesChanged, this, &PolicyModel::rebuild);
    rebuild();
}

void PolicyModel::rebuild()
{
    const OvnPolicy *policy = m_controller->policy();
    const OvnNorthbound *nb = m_controller->northbound();
    QList<Node> nodes;
    auto memberName = [&](const QString &portUuid) {
        if (const std::optional<NicPortMatch> match = m_controller->correlation()->matchOfPort(portUuid))
            return match->vmName;
        const OvnLogicalSwitchPort port = nb->port(portUuid);
        return port.vm().isEmpty() ? port.name : port.vm();
    };
    for (const OvnPortGroup &group : policy->portGroups()) {
        Node node;
        node.group = group;
        node.title = group.displayName() == group.name ? group.name : QStringLiteral("%1 (%2)").arg(group.displayName(), group.name);
        node.owner = group.owner() != OvnOwner::None ? ovnOwnerName(group.owner())
                     : group.isolationLabel().isEmpty() ? QString()
                                                       : tr("Vigie");
        node.portCount = int(group.portUuids.size());
        QStringList members;
        for (const QString &port : group.portUuids.mid(0, 20))
            members.append(memberName(port));
        members.sort();
        if (group.portUuids.size() > 20)
            members.append(tr("…and %n more", nullptr, int(group.portUuids.size() - 20)));
        node.members = members.join(QStringLiteral(", "));
        node.acls = policy->aclsOfGroup(group.uuid);
        nodes.append(node);
    }
    for (const OvnLogicalSwitch &s : nb->switches()) {
        const QList<OvnAcl> acls = policy->aclsOfSwitch(s.uuid);
        if (acls.isEmpty())
            continue;
        Node node;
        node.title = tr("switch %1").arg(s.displayName());
        node.owner = ovnOwnerName(s.owner());
        node.portCount = int(s.portUuids.size());
        node.acls = acls;
        nodes.append(node);
    }
    for (Node &node : nodes) {
        for (const OvnAcl &acl : std::as_const(node.acls))
            node.words.append(AclText::describe(acl, policy));
    }
    std::sort(nodes.begin(), nodes.end(), [](const Node &a, const Node &b) { return a.title < b.title; });
    beginResetModel();
    m_nodes = nodes;
    endResetModel();
}

QModelIndex PolicyModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < m_nodes.size() ? createIndex(row, column, TopLevel) : QModelIndex();
    if (parent.internalId() != TopLevel || parent.row() >= m_nodes.size() || row >= m_nodes.at(parent.row()).acls.size())
        return {};
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex PolicyModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == TopLevel)
        return {};
    return createIndex(int(child.internalId() - 1), 0, TopLevel);
}

int PolicyModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_nodes.size());
    if (parent.column() != 0 || parent.internalId() != TopLevel || parent.row() >= m_nodes.size())
        return 0;
    return int(m_nodes.at(parent.row()).acls.size());
}

int PolicyModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant PolicyModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == TopLevel) {
        const Node &node = m_nodes.at(index.row());
        if (role == Qt::DisplayRole) {
            switch (index.column()) {
            case NameColumn: return node.title;
            case OwnerColumn: return node.owner;
            case CountColumn: return tr("%n port(s)", nullptr, node.portCount);
            case MatchColumn: return node.members;
            }
        }
        if (role == Qt::ToolTipRole && index.column() == MatchColumn)
            return node.members;
        if (role == OwnerRole) // another system's rows (Vigie's own are not locked)
            return node.group.owner() != OvnOwner::None ? node.owner : QString();
        if (role == SearchTextRole)
            return QStringList{node.title, node.owner, node.members}.join(u' ');
        return {};
    }
    const Node &node = m_nodes.at(int(index.internalId() - 1));
    const OvnAcl &acl = node.acls.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case NameColumn: return node.words.at(index.row());
        case OwnerColumn: return acl.action;
        case CountColumn: return acl.priority;
        case MatchColumn: return acl.match;
        }
    }
    if (role == Qt::ToolTipRole)
        return tr("%1\n%2 · priority %3 · %4").arg(node.words.at(index.row()), acl.direction).arg(acl.priority).arg(acl.match);
    if (role == SortRole && index.column() == CountColumn)
        return acl.priority;
    return {};
}

QVariant PolicyModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Group / rule");
    case OwnerColumn: return tr("Owner / action");
    case CountColumn: return tr("Ports / priority");
    case MatchColumn: return tr("Members / match");
    }
    return {};
}

OvnPortGroup PolicyModel::groupAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() != TopLevel || index.row() >= m_nodes.size())
        return {};
    return m_nodes.at(index.row()).group;
}

OvnAcl PolicyModel::aclAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == TopLevel || index.internalId() > quintptr(m_nodes.size()))
        return {};
    const Node &node = m_nodes.at(int(index.internalId() - 1));
    return index.row() < node.acls.size() ? node.acls.at(index.row()) : OvnAcl{};
}

OvnPortGroup PolicyModel::groupOfRule(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == TopLevel || index.internalId() > quintptr(m_nodes.size()))
        return {};
    return m_nodes.at(int(index.internalId() - 1)).group;
}

} // namespace Vigie
