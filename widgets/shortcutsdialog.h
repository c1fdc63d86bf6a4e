#pragma once

#include <QDialog>

class QAction;
class QTableWidget;

namespace Vigie {

// Help › Keyboard shortcuts: every action with a shortcut, read from the actions themselves (so
// the sheet cannot fall behind them), then the gestures that are not actions.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    struct Gesture
    {
        QString keys;
        QString what;
    };

    ShortcutsDialog(const QList<QAction *> &actions, const QList<Gesture> &gestures, QWidget *parent = nullptr);

    [[nodiscard]] QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table;
};

} // namespace Vigie
