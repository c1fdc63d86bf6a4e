#pragma once

#include "network/ovnpolicy.h"

#include <QAbstractItemModel>
#include <QList>

namespace Vigie {

class NetworkController;

// The controller's security policy as a tree: port groups (security groups, Neutron's drop group,
// Vigie's isolations) and switches with ACLs, each with its rules in words, highest priority
// first. Rebuilt when the policy or the ports change (rare, small).
class PolicyModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, OwnerColumn, CountColumn, MatchColumn, ColumnCount };

    explicit PolicyModel(NetworkController *controller, QObject *parent = nullptr);

    [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex &child) const override;
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The port group of a top-level row (empty for a switch's rules).
    [[nodiscard]] OvnPortGroup groupAt(const QModelIndex &index) const;
    // The rule of a child row, and the group it belongs to (empty for a switch's rules).
    [[nodiscard]] OvnAcl aclAt(const QModelIndex &index) const;
    [[nodiscard]] OvnPortGroup groupOfRule(const QModelIndex &index) const;

public Q_SLOTS:
    void rebuild();

private:
    struct Node
    {
        OvnPortGroup group; // empty uuid: a switch's own ACLs
        QString title;
        QString owner;
        QString members; // the VMs (or ports) the rules apply to
        int portCount = 0;
        QList<OvnAcl> acls;
        QStringList words;
    };

    NetworkController *m_controller;
    QList<Node> m_nodes;
};

} // namespace Vigie
