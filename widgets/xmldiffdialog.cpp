#include "xmldiffdialog.h"

#include "displaytext.h"
#include "hypervisor/linediff.h"
#include "xmlview.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Vigie {

XmlDiffDialog::XmlDiffDialog(const QString &vmName, const QString &before, const QString &after, QWidget *parent)
    : QDialog(parent)
    , m_view(new XmlView(this, QStringLiteral("Diff")))
{
    setWindowTitle(tr("Apply the new definition of %1?").arg(DisplayText::singleLine(vmName)));
    const LineDiff diff = diffLines(before, after);
    m_added = diff.added;
    m_removed = diff.removed;
    auto *layout = new QVBoxLayout(this);
    auto *summary = new QLabel(tr("%n line(s) added", nullptr, diff.added) + QStringLiteral(", ")
                                   + tr("%n line(s) removed", nullptr, diff.removed) + QStringLiteral(". ")
                                   + tr("libvirt checks the definition before saving it; a running VM "
                                        "takes most changes at its next boot."),
                               this);
    summary->setWordWrap(true);
    layout->addWidget(summary);
    m_view->setXml(diff.unified);
    layout->addWidget(m_view, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Apply | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Apply)->setDefault(true);
    connect(buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(760, 520);
}

QString XmlDiffDialog::diffText() const
{
    return m_view->toPlainText();
}

} // namespace Vigie
