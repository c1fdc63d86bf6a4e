#include "changepreviewdialog.h"

#include "plaintext.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Vigie {

ChangePreviewDialog::ChangePreviewDialog(const QString &title, const QString &summary, const QStringList &lines,
                                         const QString &applyText, QWidget *parent)
    : QDialog(parent)
    , m_lines(new QPlainTextEdit(this))
{
    setWindowTitle(title);
    auto *label = new QLabel(summary, this);
    makePlainWrappingLabel(label);
    m_lines->setObjectName(QStringLiteral("changeLines"));
    m_lines->setReadOnly(true);
    m_lines->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_lines->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_lines->setPlainText(lines.join(u'\n'));
    auto *buttons = new QDialogButtonBox(this);
    if (applyText.isEmpty()) {
        buttons->addButton(QDialogButtonBox::Close);
    } else {
        QPushButton *apply = buttons->addButton(applyText, QDialogButtonBox::AcceptRole);
        apply->setDefault(true);
        buttons->addButton(QDialogButtonBox::Cancel);
    }
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addWidget(m_lines, 1);
    layout->addWidget(buttons);
    // Wide enough for a match, small enough for a 1366x768 screen.
    resize(900, 420);
}

} // namespace Vigie
