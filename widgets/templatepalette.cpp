#include "templatepalette.h"

#include "displaytext.h"
#include "plaintext.h"
#include "itemmodels/templatelistmodel.h"

#include <QAction>
#include <QApplication>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QDialogButtonBox>
#include <QPixmap>
#include <QMimeData>
#include <QDrag>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QToolBar>
#include <QVBoxLayout>

namespace Vigie {

namespace {

// The list a template is dragged from. The topology draws the dragged template itself, a ghost
// that says where it can go: QDrag's own picture of the row would be a second one beside it.
class TemplateListView : public QListView
{
public:
    using QListView::QListView;

protected:
    void startDrag(Qt::DropActions supportedActions) override
    {
        const QModelIndexList indexes = selectedIndexes();
        QMimeData *data = indexes.isEmpty() ? nullptr : model()->mimeData(indexes);
        if (!data)
            return;
        auto *drag = new QDrag(this);
        drag->setMimeData(data);
        QPixmap nothing(1, 1);
        nothing.fill(Qt::transparent);
        drag->setPixmap(nothing);
        drag->exec(supportedActions, Qt::CopyAction);
    }
};

// A template as two lines: its name in bold, its size in grey under it.
class TemplateDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
        const bool selected = option.state.testFlag(QStyle::State_Selected);
        const QRect text = option.rect.adjusted(ChipMargin + 4, 2, -4, -2);
        painter->save();
        // A chip like the topology's: dashed, since the VM does not exist yet.
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(QPen(selected ? option.palette.highlightedText().color() : QColor(0x1e, 0x6f, 0xd9), 1, Qt::DashLine));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(QRectF(option.rect.left() + 4.5, option.rect.top() + 4.5, ChipMargin - 8, option.rect.height() - 9), 3, 3);
        QFont bold = option.font;
        bold.setBold(true);
        painter->setFont(bold);
        painter->setPen(selected ? option.palette.highlightedText().color() : option.palette.text().color());
        const QFontMetrics boldMetrics(bold);
        painter->drawText(QRect(text.left(), text.top(), text.width(), boldMetrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
                          boldMetrics.elidedText(index.data(Qt::EditRole).toString(), Qt::ElideRight, text.width()));
        QFont small = option.font;
        small.setPointSizeF(option.font.pointSizeF() * 0.9);
        painter->setFont(small);
        const QFontMetrics smallMetrics(small);
        painter->setPen(selected ? option.palette.highlightedText().color() : option.palette.placeholderText().color());
        painter->drawText(QRect(text.left(), text.top() + boldMetrics.height(), text.width(), smallMetrics.height()),
                          Qt::AlignLeft | Qt::AlignVCenter,
                          smallMetrics.elidedText(index.data(TemplateListModel::SummaryRole).toString(), Qt::ElideRight,
                                                  text.width()));
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const override
    {
        QFont small = option.font;
        small.setPointSizeF(option.font.pointSizeF() * 0.9);
        return {200, QFontMetrics(option.font).height() + QFontMetrics(small).height() + 6};
    }

private:
    static constexpr int ChipMargin = 22;
};

} // namespace

TemplateDialog::TemplateDialog(const VmTemplate &tmpl, QWidget *parent)
    : QDialog(parent)
    , m_name(new QLineEdit(tmpl.name, this))
    , m_vcpus(new QSpinBox(this))
    , m_memoryMiB(new QSpinBox(this))
    , m_diskGiB(new QSpinBox(this))
    , m_osLabel(new QLineEdit(tmpl.osLabel, this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("VM template"));
    setObjectName(QStringLiteral("templateDialog"));
    m_name->setObjectName(QStringLiteral("templateName"));
    m_name->setMaxLength(64);
    m_vcpus->setObjectName(QStringLiteral("templateVcpus"));
    m_vcpus->setRange(1, VmTemplate::MaxVcpus);
    m_vcpus->setValue(tmpl.vcpus);
    m_memoryMiB->setObjectName(QStringLiteral("templateMemory"));
    m_memoryMiB->setRange(16, int(std::min<quint64>(VmTemplate::MaxMemoryMiB, INT_MAX)));
    m_memoryMiB->setSingleStep(256);
    m_memoryMiB->setSuffix(tr(" MiB"));
    m_memoryMiB->setValue(int(tmpl.memoryMiB));
    m_diskGiB->setObjectName(QStringLiteral("templateDisk"));
    m_diskGiB->setRange(0, int(VmTemplate::MaxDiskGiB));
    m_diskGiB->setSuffix(tr(" GiB"));
    m_diskGiB->setSpecialValueText(tr("no disk"));
    m_diskGiB->setValue(int(tmpl.diskGiB));
    m_osLabel->setObjectName(QStringLiteral("templateOs"));
    m_osLabel->setMaxLength(64);
    m_osLabel->setPlaceholderText(tr("for example Debian 12"));
    m_problem->setStyleSheet(QStringLiteral("color: #b03000"));

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("v&CPUs:"), m_vcpus);
    form->addRow(tr("&Memory:"), m_memoryMiB);
    form->addRow(tr("System &disk:"), m_diskGiB);
    form->addRow(tr("&OS label:"), m_osLabel);
    form->addRow(m_problem);
    auto *note = new QLabel(tr("The disk is created empty (qcow2) in the host's storage pool."), this);
    note->setWordWrap(true);
    form->addRow(note);
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &TemplateDialog::validate);
    validate();
}

VmTemplate TemplateDialog::value() const
{
    return {m_name->text().trimmed(), m_osLabel->text().trimmed(), m_vcpus->value(), quint64(m_memoryMiB->value()),
            quint64(m_diskGiB->value())};
}

void TemplateDialog::validate()
{
    const bool ok = value().isValid();
    m_problem->setText(ok ? QString() : tr("Give the template a name."));
    m_problem->setVisible(!ok);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

TemplatePalette::TemplatePalette(QWidget *parent)
    : QWidget(parent)
    , m_model(new TemplateListModel(this))
    , m_view(new TemplateListView(this))
{
    setObjectName(QStringLiteral("templatePalette"));
    QSettings stored;
    m_model->setTemplates(VmTemplate::load(stored));
    connect(m_model, &TemplateListModel::templatesEdited, this, [this] {
        QSettings settings;
        VmTemplate::save(settings, m_model->templates());
    });

    m_view->setObjectName(QStringLiteral("templateList"));
    m_view->setModel(m_model);
    m_view->setDragEnabled(true);
    m_view->setDragDropMode(QAbstractItemView::DragOnly);
    m_view->setDefaultDropAction(Qt::CopyAction);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setUniformItemSizes(true);
    m_view->setSpacing(1);
    m_view->setItemDelegate(new TemplateDelegate(m_view));
    m_view->setToolTip(tr("Drag a template onto a host of the topology, then onto a VLAN."));
    connect(m_view, &QListView::doubleClicked, this, &TemplatePalette::editCurrent);

    auto *tools = new QToolBar(this);
    tools->setIconSize({16, 16});
    tools->setToolButtonStyle(Qt::ToolButtonIconOnly);
    const auto add = [&](QStyle::StandardPixmap icon, const QString &text, const QKeySequence &key, auto slot) {
        QAction *action = tools->addAction(style()->standardIcon(icon), text, this, slot);
        action->setToolTip(key.isEmpty() ? text : tr("%1 (%2)").arg(text, key.toString(QKeySequence::NativeText)));
        if (!key.isEmpty()) {
            action->setShortcut(key);
            action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
            // The context is the widgets the action is added to: the palette, so that the keys
            // work from its list (not a child of the toolbar).
            addAction(action);
        }
        return action;
    };
    add(QStyle::SP_FileIcon, tr("New template…"), QKeySequence(Qt::Key_Insert), &TemplatePalette::addTemplate);
    add(QStyle::SP_FileDialogContentsView, tr("Edit template…"), QKeySequence(Qt::Key_F2), &TemplatePalette::editCurrent);
    add(QStyle::SP_FileLinkIcon, tr("Duplicate template"), QKeySequence(), &TemplatePalette::duplicateCurrent);
    add(QStyle::SP_TrashIcon, tr("Remove template"), QKeySequence(QKeySequence::Delete), &TemplatePalette::removeCurrent);
    tools->addSeparator();
    add(QStyle::SP_DialogResetButton, tr("Restore the default templates"), QKeySequence(), &TemplatePalette::restoreDefaults);
    // Italic text, not grey: grey beside the tool buttons read as a disabled button.
    auto *hint = new QLabel(tr("Drag onto a host"), this);
    hint->setStyleSheet(QStringLiteral("QLabel { font-style: italic; }"));
    tools->addWidget(hint);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addWidget(tools);
    layout->addWidget(m_view, 1);
}

int TemplatePalette::currentRow() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void TemplatePalette::addTemplate()
{
    TemplateDialog dialog({tr("New template"), {}, 1, 1024, 10}, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const int row = m_model->append(dialog.value());
    if (row >= 0)
        m_view->setCurrentIndex(m_model->index(row));
}

void TemplatePalette::editCurrent()
{
    const int row = currentRow();
    if (row < 0)
        return;
    TemplateDialog dialog(m_model->at(row), this);
    if (dialog.exec() == QDialog::Accepted)
        m_model->replace(row, dialog.value());
}

void TemplatePalette::duplicateCurrent()
{
    const int row = currentRow();
    if (row < 0)
        return;
    VmTemplate copy = m_model->at(row);
    copy.name = tr("%1 (copy)").arg(copy.name).left(64);
    const int added = m_model->append(copy);
    if (added >= 0)
        m_view->setCurrentIndex(m_model->index(added));
}

void TemplatePalette::removeCurrent()
{
    const int row = currentRow();
    if (row < 0)
        return;
    QMessageBox box(QMessageBox::Question, tr("Remove template"),
                    tr("Remove the template %1?").arg(DisplayText::name(m_model->at(row).name)), QMessageBox::Yes | QMessageBox::No,
                    this);
    setPlainText(&box);
    if (box.exec() == QMessageBox::Yes)
        m_model->remove(row);
}

void TemplatePalette::restoreDefaults()
{
    if (QMessageBox::question(this, tr("Restore the default templates"),
                              tr("Replace your templates with the default ones?"))
        == QMessageBox::Yes)
        m_model->setTemplates(VmTemplate::defaults());
}

} // namespace Vigie
