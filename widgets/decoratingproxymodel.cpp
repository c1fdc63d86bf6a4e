#include "decoratingproxymodel.h"

#include "displaytext.h"
#include "inventory/eventrecord.h"
#include "itemmodels/roles.h"
#include "stateicons.h"

#include <QColor>

namespace Vigie {

DecoratingProxyModel::DecoratingProxyModel(QObject *parent)
    : QIdentityProxyModel(parent)
{
}

QVariant DecoratingProxyModel::data(const QModelIndex &index, int role) const
{
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        const QVariant value = QIdentityProxyModel::data(index, role);
        if (value.typeId() != QMetaType::QString)
            return value;
        return role == Qt::DisplayRole ? DisplayText::bounded(value.toString()) : DisplayText::toolTip(value.toString());
    }
    if (role != Qt::DecorationRole && role != Qt::ForegroundRole)
        return QIdentityProxyModel::data(index, role);
    if (role == Qt::DecorationRole && index.column() == 0 && !QIdentityProxyModel::data(index, OwnerRole).toString().isEmpty())
        return ownedRowIcon();
    const QVariant severity = QIdentityProxyModel::data(index, SeverityRole);
    if (severity.isValid()) {
        if (role != Qt::ForegroundRole)
            return {};
        switch (EventRecord::Severity(severity.toInt())) {
        case EventRecord::Severity::Error: return QColor(0xc0, 0x30, 0x30);
        case EventRecord::Severity::Warning: return QColor(0xb0, 0x70, 0x10);
        case EventRecord::Severity::Info: return {};
        }
        return {};
    }
    const QVariant kind = QIdentityProxyModel::data(index, KindRole);
    if (!kind.isValid())
        return QIdentityProxyModel::data(index, role);
    const bool isVm = kind.toInt() == int(NodeKind::Vm);
    if (role == Qt::DecorationRole && index.column() == 0) {
        return isVm ? vmStateIcon(VmState(QIdentityProxyModel::data(index, VmStateRole).toInt()))
                    : connectionStateIcon(ConnectionState(QIdentityProxyModel::data(index, ConnectionStateRole).toInt()));
    }
    if (role == Qt::ForegroundRole && index.column() == m_stateColumn) {
        return isVm ? vmStateColor(VmState(QIdentityProxyModel::data(index, VmStateRole).toInt())).darker(115)
                    : connectionStateColor(ConnectionState(QIdentityProxyModel::data(index, ConnectionStateRole).toInt()));
    }
    return QIdentityProxyModel::data(index, role);
}

} // namespace Vigie
