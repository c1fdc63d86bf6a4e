#pragma once

#include <QObject>
#include <QString>

class QLineEdit;
class QMenu;
class QWidget;

namespace Vigie {

// View › Saved searches: the VM filter's text saved under a name (asked for), applied back to
// the filter from the menu, deleted from a submenu. Kept in QSettings ("search/saved": name ->
// text), so every window of the user sees them.
class SavedSearches : public QObject
{
    Q_OBJECT

public:
    SavedSearches(QLineEdit *filter, QWidget *window);

    [[nodiscard]] QMenu *menu() const { return m_menu; }
    // Saves TEXT under NAME (replacing one of that name); an empty text is not saved.
    void save(const QString &name, const QString &text);
    void remove(const QString &name);
    [[nodiscard]] QStringList names() const;
    [[nodiscard]] QString text(const QString &name) const;

private:
    void fillMenu();
    void askAndSave();

    QLineEdit *m_filter;
    QWidget *m_window;
    QMenu *m_menu;
};

} // namespace Vigie
