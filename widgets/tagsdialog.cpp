#include "tagsdialog.h"

#include "inventory/vmtags.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMap>
#include <QPushButton>
#include <QVBoxLayout>

namespace Vigie {

namespace {

constexpr int CountRole = Qt::UserRole + 1;

} // namespace

TagsDialog::TagsDialog(const QList<VmInfo> &vms, QWidget *parent)
    : QDialog(parent)
    , m_list(new QListWidget(this))
    , m_add(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("tagsDialog"));
    QStringList nova;
    QString editableName;
    QMap<QString, int> counts;
    for (const VmInfo &vm : vms) {
        if (vm.manager == QLatin1String("nova")) {
            nova.append(vm.displayName.isEmpty() ? vm.name : vm.displayName);
            continue;
        }
        m_editable.append(vm.key());
        editableName = vm.displayName.isEmpty() ? vm.name : vm.displayName;
        for (const QString &tag : vm.tags)
            ++counts[tag];
    }
    const int total = int(m_editable.size());
    setWindowTitle(tr("Tags of %n VM(s)", nullptr, total));

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(total == 1 ? tr("Tags of %1. Uncheck a tag to remove it.").arg(editableName)
                                        : tr("Tags of the %n selected VMs, with how many carry each. Uncheck a tag to "
                                             "remove it from all; check a partly carried one to add it to all.",
                                             nullptr, total),
                             this);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_list->setObjectName(QStringLiteral("tagsList"));
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        auto *item = new QListWidgetItem(total == 1 ? it.key() : tr("%1 (%2 of %3)").arg(it.key()).arg(it.value()).arg(total), m_list);
        item->setData(Qt::UserRole, it.key());
        item->setData(CountRole, it.value());
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(it.value() == total ? Qt::Checked : Qt::PartiallyChecked);
        if (it.value() < total)
            item->setFlags(item->flags() | Qt::ItemIsUserTristate); // back to "leave as it is"
    }
    if (counts.isEmpty()) {
        auto *none = new QListWidgetItem(tr("No tags yet"), m_list);
        none->setFlags(Qt::NoItemFlags);
    }
    layout->addWidget(m_list);

    auto *form = new QFormLayout;
    m_add->setObjectName(QStringLiteral("addTags"));
    m_add->setPlaceholderText(tr("web, prod, pci-dss"));
    m_add->setMaxLength(int(VmTags::MaxLength * VmTags::MaxCount));
    m_add->setToolTip(tr("Separate tags with spaces or commas; %1. Stored in lower case.").arg(VmTags::rules()));
    form->addRow(tr("&Add tags:"), m_add);
    layout->addLayout(form);

    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_problem->setVisible(false);
    layout->addWidget(m_problem);

    if (!nova.isEmpty()) {
        auto *note = new QLabel(tr("Left out, managed by OpenStack Nova (use Nova's server tags): %1")
                                    .arg(nova.join(QStringLiteral(", "))),
                                this);
        note->setObjectName(QStringLiteral("novaNote"));
        note->setTextFormat(Qt::PlainText);
        note->setWordWrap(true);
        layout->addWidget(note);
    }
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_add, &QLineEdit::textChanged, this, &TagsDialog::validate);
    validate();
    resize(420, sizeHint().height());
}

void TagsDialog::validate()
{
    QStringList rejected;
    const QStringList tags = VmTags::split(m_add->text(), &rejected);
    QString problem = rejected.join(u'\n');
    if (problem.isEmpty() && tags.size() > VmTags::MaxCount)
        problem = tr("At most %1 tags per VM.").arg(VmTags::MaxCount);
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty() && !m_editable.isEmpty());
}

QStringList TagsDialog::added() const
{
    QStringList tags = VmTags::split(m_add->text());
    for (int row = 0; row < m_list->count(); ++row) {
        const QListWidgetItem *item = m_list->item(row);
        const QString tag = item->data(Qt::UserRole).toString();
        if (!tag.isEmpty() && item->checkState() == Qt::Checked && item->data(CountRole).toInt() < m_editable.size()
            && !tags.contains(tag))
            tags.append(tag);
    }
    return tags;
}

QStringList TagsDialog::removed() const
{
    QStringList tags;
    for (int row = 0; row < m_list->count(); ++row) {
        const QListWidgetItem *item = m_list->item(row);
        const QString tag = item->data(Qt::UserRole).toString();
        if (!tag.isEmpty() && item->checkState() == Qt::Unchecked)
            tags.append(tag);
    }
    return tags;
}

} // namespace Vigie
