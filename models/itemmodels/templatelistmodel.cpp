#include "templatelistmodel.h"

#include <QMimeData>

namespace Vigie {

TemplateListModel::TemplateListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void TemplateListModel::setTemplates(const QList<VmTemplate> &templates)
{
    beginResetModel();
    m_templates.clear();
    for (const VmTemplate &tmpl : templates) {
        if (tmpl.isValid())
            m_templates.append(tmpl);
    }
    endResetModel();
    Q_EMIT templatesEdited();
}

int TemplateListModel::append(const VmTemplate &tmpl)
{
    if (!tmpl.isValid())
        return -1;
    const int row = int(m_templates.size());
    beginInsertRows({}, row, row);
    m_templates.append(tmpl);
    endInsertRows();
    Q_EMIT templatesEdited();
    return row;
}

bool TemplateListModel::replace(int row, const VmTemplate &tmpl)
{
    if (row < 0 || row >= m_templates.size() || !tmpl.isValid())
        return false;
    m_templates[row] = tmpl;
    Q_EMIT dataChanged(index(row), index(row));
    Q_EMIT templatesEdited();
    return true;
}

bool TemplateListModel::remove(int row)
{
    if (row < 0 || row >= m_templates.size())
        return false;
    beginRemoveRows({}, row, row);
    m_templates.removeAt(row);
    endRemoveRows();
    Q_EMIT templatesEdited();
    return true;
}

int TemplateListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_templates.size());
}

QVariant TemplateListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const VmTemplate &tmpl = m_templates.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return tmpl.name + u'\n' + tmpl.summary();
    case Qt::EditRole:
        return tmpl.name;
    case Qt::ToolTipRole:
        return tr("<b>%1</b><br>%2<br>Drag onto a host of the topology, then onto a VLAN.")
            .arg(tmpl.name.toHtmlEscaped(), tmpl.summary().toHtmlEscaped());
    case TemplateRole:
        return QVariant::fromValue(tmpl);
    case SummaryRole:
        return tmpl.summary();
    default:
        return {};
    }
}

Qt::ItemFlags TemplateListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled | Qt::ItemNeverHasChildren;
}

QStringList TemplateListModel::mimeTypes() const
{
    return {VmTemplate::mimeType()};
}

QMimeData *TemplateListModel::mimeData(const QModelIndexList &indexes) const
{
    for (const QModelIndex &index : indexes) {
        if (index.isValid() && index.row() < m_templates.size())
            return m_templates.at(index.row()).toMimeData();
    }
    return nullptr;
}

} // namespace Vigie
