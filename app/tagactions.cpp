#include "tagactions.h"

#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "notificationbar.h"
#include "tagsdialog.h"

#include <QAction>
#include <QKeySequence>
#include <QMessageBox>

namespace Vigie {

TagActions::TagActions(Inventory *inventory, SessionManager *sessions, NotificationBar *notifications,
                       std::function<QList<VmKey>()> selection, QWidget *window)
    : QObject(window)
    , m_inventory(inventory)
    , m_sessions(sessions)
    , m_notifications(notifications)
    , m_selection(std::move(selection))
    , m_window(window)
    , m_action(new QAction(tr("&Tags…"), this))
{
    m_action->setObjectName(QStringLiteral("tagsAction"));
    m_action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_action->setStatusTip(tr("Add or remove tags on the selected VMs (kept in each domain's metadata)"));
    connect(m_action, &QAction::triggered, this, [this] { editTags(m_selection()); });
    connect(sessions, &SessionManager::tagsEdited, this, [this](const VmKey &vm, bool ok, const QString &message) {
        if (ok)
            return; // the table's Tags column and the event log show it
        const VmInfo info = m_inventory->vm(vm);
        m_notifications->notify(NotificationBar::Kind::Error,
                                tr("Tags of %1 not changed").arg(info.displayName.isEmpty() ? info.name : info.displayName),
                                message);
    });
}

void TagActions::editTags(const QList<VmKey> &vms)
{
    QList<VmInfo> infos;
    for (const VmKey &key : vms) {
        if (const VmInfo *vm = m_inventory->findVm(key))
            infos.append(*vm);
    }
    if (infos.isEmpty())
        return;
    const bool allNova = std::all_of(infos.cbegin(), infos.cend(),
                                     [](const VmInfo &vm) { return vm.manager == QLatin1String("nova"); });
    if (allNova) {
        QMessageBox box(QMessageBox::Information, tr("Tags"),
                        tr("OpenStack Nova manages %n of the selected VMs: Nova owns their definition and Vigie "
                           "does not write tags into it. Use Nova's server tags (openstack server set --tag).",
                           nullptr, int(infos.size())),
                        QMessageBox::Ok, m_window);
        box.setTextFormat(Qt::PlainText);
        box.exec();
        return;
    }
    TagsDialog dialog(infos, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QStringList add = dialog.added();
    const QStringList remove = dialog.removed();
    if (add.isEmpty() && remove.isEmpty())
        return;
    m_sessions->editTags(dialog.editable(), add, remove);
}

} // namespace Vigie
