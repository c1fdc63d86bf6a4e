#pragma once

#include <QDialog>

class QPlainTextEdit;

namespace Vigie {

// What a change to the controller will write, shown before it is applied: a summary, then one
// line per row added (+) or removed (-), in plain text. Apply or cancel; with no apply text the
// dialog only shows (a VM's policy, say).
class ChangePreviewDialog : public QDialog
{
    Q_OBJECT

public:
    ChangePreviewDialog(const QString &title, const QString &summary, const QStringList &lines, const QString &applyText,
                        QWidget *parent = nullptr);

    [[nodiscard]] QPlainTextEdit *linesView() const { return m_lines; }

private:
    QPlainTextEdit *m_lines;
};

} // namespace Vigie
