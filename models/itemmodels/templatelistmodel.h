#pragma once

#include "placement/vmtemplate.h"

#include <QAbstractListModel>

namespace Vigie {

// The operator's VM templates, for the palette: one row each ("name" over its summary), dragged
// out as VmTemplate MIME data. Changes go through the model's own calls, each followed by
// templatesEdited so the owner can save them.
class TemplateListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role { TemplateRole = Qt::UserRole + 1, SummaryRole };

    explicit TemplateListModel(QObject *parent = nullptr);

    [[nodiscard]] QList<VmTemplate> templates() const { return m_templates; }
    [[nodiscard]] VmTemplate at(int row) const { return m_templates.value(row); }
    void setTemplates(const QList<VmTemplate> &templates);
    // Appends (returns its row), replaces, removes; invalid templates are refused (-1 / false).
    int append(const VmTemplate &tmpl);
    bool replace(int row, const VmTemplate &tmpl);
    bool remove(int row);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;
    [[nodiscard]] QStringList mimeTypes() const override;
    [[nodiscard]] QMimeData *mimeData(const QModelIndexList &indexes) const override;
    [[nodiscard]] Qt::DropActions supportedDragActions() const override { return Qt::CopyAction; }

Q_SIGNALS:
    void templatesEdited();

private:
    QList<VmTemplate> m_templates;
};

} // namespace Vigie
