#include "savedsearches.h"

#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>

namespace Vigie {

namespace {

const QString Key = QStringLiteral("search/saved");

} // namespace

SavedSearches::SavedSearches(QLineEdit *filter, QWidget *window)
    : QObject(window)
    , m_filter(filter)
    , m_window(window)
    , m_menu(new QMenu(tr("Saved &searches"), window))
{
    m_menu->setObjectName(QStringLiteral("savedSearchesMenu"));
    m_menu->setToolTipsVisible(true);
    connect(m_menu, &QMenu::aboutToShow, this, &SavedSearches::fillMenu);
    fillMenu(); // so that the menu has entries (and shortcuts) before it is first shown
}

QStringList SavedSearches::names() const
{
    QStringList names = QSettings().value(Key).toMap().keys();
    names.sort(Qt::CaseInsensitive);
    return names;
}

QString SavedSearches::text(const QString &name) const
{
    return QSettings().value(Key).toMap().value(name).toString();
}

void SavedSearches::save(const QString &name, const QString &text)
{
    const QString trimmed = name.simplified();
    if (trimmed.isEmpty() || text.trimmed().isEmpty())
        return;
    QSettings settings;
    QVariantMap saved = settings.value(Key).toMap();
    saved.insert(trimmed.left(80), text);
    settings.setValue(Key, saved);
}

void SavedSearches::remove(const QString &name)
{
    QSettings settings;
    QVariantMap saved = settings.value(Key).toMap();
    saved.remove(name);
    settings.setValue(Key, saved);
}

void SavedSearches::askAndSave()
{
    const QString text = m_filter->text();
    bool ok = false;
    const QString name = QInputDialog::getText(m_window, tr("Save search"), tr("Name of the search “%1”:").arg(text),
                                               QLineEdit::Normal, text.left(40), &ok);
    if (ok)
        save(name, text);
}

void SavedSearches::fillMenu()
{
    m_menu->clear();
    QAction *saveAction = m_menu->addAction(tr("&Save current search…"), this, &SavedSearches::askAndSave);
    saveAction->setEnabled(!m_filter->text().trimmed().isEmpty());
    saveAction->setToolTip(saveAction->isEnabled() ? m_filter->text() : tr("Type a search in the VM filter first"));
    const QStringList saved = names();
    if (saved.isEmpty())
        return;
    m_menu->addSeparator();
    for (const QString &name : saved) {
        const QString query = text(name);
        // The name is the user's text: no '&' mnemonic may be read into it.
        QAction *apply = m_menu->addAction(QString(name).replace(u'&', QStringLiteral("&&")), this, [this, query] {
            m_filter->setText(query);
            m_filter->setFocus();
        });
        apply->setToolTip(query);
    }
    m_menu->addSeparator();
    QMenu *remove = m_menu->addMenu(tr("&Delete"));
    for (const QString &name : saved)
        remove->addAction(QString(name).replace(u'&', QStringLiteral("&&")), this, [this, name] { this->remove(name); });
}

} // namespace Vigie
