#include "queryedit.h"

#include "inventory/inventory.h"
#include "inventory/vmquery.h"

#include <QAbstractItemView>
#include <QAction>
#include <QCompleter>
#include <QKeyEvent>
#include <QStringListModel>
#include <QStyle>
#include <QToolTip>

#include <algorithm>

namespace Vigie {

namespace {

QString quoted(const QString &value)
{
    return value.contains(u' ') ? u'"' + value + u'"' : value;
}

} // namespace

QueryEdit::QueryEdit(const Inventory *inventory, const QString &placeholder, QWidget *parent)
    : QLineEdit(parent)
    , m_inventory(inventory)
    , m_completer(new QCompleter(this))
    , m_model(new QStringListModel(this))
    , m_warning(new QAction(this))
{
    setPlaceholderText(placeholder);
    setClearButtonEnabled(true);
    // Typed text never gets this long; a paste that does is refused here, the parser refuses
    // what comes in by setText().
    setMaxLength(int(VmQuery::MaxLength));
    setToolTip(VmQuery::syntaxHelp());
    m_warning->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
    addAction(m_warning, QLineEdit::TrailingPosition);
    m_warning->setVisible(false); // after addAction: the line edit's button follows the change
    connect(m_warning, &QAction::triggered, this,
            [this] { QToolTip::showText(mapToGlobal(rect().bottomLeft()), m_problems.join(u'\n'), this); });

    m_completer->setModel(m_model);
    m_completer->setWidget(this);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setMaxVisibleItems(12);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this, &QueryEdit::insertCompletion);
    connect(this, &QLineEdit::textChanged, this, &QueryEdit::check);
    connect(this, &QLineEdit::textEdited, this, &QueryEdit::complete);
    if (inventory) {
        const auto dirty = [this] { m_candidatesDirty = true; };
        connect(inventory, &Inventory::vmAdded, this, dirty);
        connect(inventory, &Inventory::vmChanged, this, dirty);
        connect(inventory, &Inventory::hostChanged, this, dirty);
        connect(inventory, &Inventory::vlansChanged, this, dirty);
    }
}

void QueryEdit::check(const QString &text)
{
    const VmQuery query = VmQuery::parse(text);
    m_problems = query.errors();
    const bool bad = !m_problems.isEmpty();
    m_warning->setVisible(bad);
    m_warning->setToolTip(m_problems.join(u'\n'));
    setToolTip(bad ? tr("Left out of the search:\n%1").arg(m_problems.join(u'\n')) : VmQuery::syntaxHelp());
    // Only while something is wrong: otherwise the frame stays the style's own.
    setStyleSheet(bad ? QStringLiteral("QLineEdit { border: 2px solid #c62828; border-radius: 3px; }") : QString());
    Q_EMIT problemsChanged(m_problems);
}

qsizetype QueryEdit::wordStart() const
{
    const QString before = text().left(cursorPosition());
    qsizetype start = before.size();
    bool inQuotes = before.count(u'"') % 2 == 1;
    while (start > 0) {
        const QChar c = before.at(start - 1);
        if (c == u'"')
            inQuotes = !inQuotes;
        else if (c.isSpace() && !inQuotes)
            break;
        --start;
    }
    return start;
}

QStringList QueryEdit::candidates() const
{
    QStringList list;
    for (const QString &field : VmQuery::fieldNames())
        list.append(field + u':');
    if (!m_inventory)
        return list;
    QStringList hosts, tenants, tags;
    for (const QString &uri : m_inventory->hostUris())
        hosts.append(m_inventory->host(uri).displayName);
    for (const VmKey &key : m_inventory->vmKeys()) {
        const VmInfo *vm = m_inventory->findVm(key);
        if (!vm)
            continue;
        if (!vm->tenant.isEmpty())
            tenants.append(vm->tenant);
        tags += vm->tags;
    }
    const auto add = [&list](const QString &field, QStringList values) {
        values.removeAll(QString());
        std::sort(values.begin(), values.end());
        values.erase(std::unique(values.begin(), values.end()), values.end());
        for (const QString &value : std::as_const(values))
            list.append(field + u':' + quoted(value));
    };
    add(QStringLiteral("host"), hosts);
    add(QStringLiteral("tenant"), tenants);
    add(QStringLiteral("tag"), tags);
    add(QStringLiteral("state"), {QStringLiteral("running"), QStringLiteral("paused"), QStringLiteral("shutoff"),
                                  QStringLiteral("crashed")});
    QStringList vlans;
    for (const VlanInfo &vlan : m_inventory->vlans()) {
        vlans.append(QString::number(vlan.id));
        if (!vlan.name.isEmpty())
            vlans.append(vlan.name);
    }
    add(QStringLiteral("vlan"), vlans);
    return list;
}

QStringList QueryEdit::completions() const
{
    QStringList result;
    const QString prefix = m_completer->completionPrefix();
    for (const QString &candidate : m_model->stringList()) {
        if (candidate.startsWith(prefix, Qt::CaseInsensitive))
            result.append(candidate);
    }
    return result;
}

void QueryEdit::complete()
{
    QString word = text().mid(wordStart(), cursorPosition() - wordStart());
    if (word.startsWith(u'-') || word.startsWith(u'!'))
        word.remove(0, 1);
    if (word.isEmpty()) {
        m_completer->popup()->hide();
        return;
    }
    if (m_candidatesDirty) {
        m_model->setStringList(candidates());
        m_candidatesDirty = false;
    }
    m_completer->setCompletionPrefix(word);
    // Every candidate starts with a field name: a free word ("web") finds none and gets no popup.
    if (m_completer->completionCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    if (completions().size() == 1 && completions().constFirst().compare(word, Qt::CaseInsensitive) == 0) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->complete();
}

void QueryEdit::insertCompletion(const QString &completion)
{
    const qsizetype start = wordStart();
    QString current = text();
    qsizetype from = start;
    if (from < current.size() && (current.at(from) == u'-' || current.at(from) == u'!'))
        ++from;
    const qsizetype end = cursorPosition();
    current.replace(from, end - from, completion);
    setText(current);
    setCursorPosition(int(from + completion.size()));
    if (!completion.endsWith(u':'))
        insert(QStringLiteral(" "));
}

void QueryEdit::keyPressEvent(QKeyEvent *event)
{
    if (m_completer->popup()->isVisible()) {
        switch (event->key()) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Escape:
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
            event->ignore(); // the completer's popup takes them
            return;
        default: break;
        }
    }
    QLineEdit::keyPressEvent(event);
}

} // namespace Vigie
