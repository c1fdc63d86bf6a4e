#pragma once

#include <QDialog>

class QLabel;

namespace Vigie {

class XmlView;

// Shows what applying an edited definition changes, as a highlighted unified diff, and asks to
// apply it.
class XmlDiffDialog : public QDialog
{
    Q_OBJECT

public:
    XmlDiffDialog(const QString &vmName, const QString &before, const QString &after, QWidget *parent = nullptr);

    [[nodiscard]] QString diffText() const;
    [[nodiscard]] int addedLines() const { return m_added; }
    [[nodiscard]] int removedLines() const { return m_removed; }

private:
    XmlView *m_view;
    int m_added = 0;
    int m_removed = 0;
};

} // namespace Vigie
