#include "lifecycleactions.h"

#include "displaytext.h"
#include "hypervisor/migration.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "plaintext.h"

#include <QAction>
#include <QMessageBox>
#include <QPushButton>
#include <QStyle>
#include <QWidget>

namespace Vigie {

LifecycleActions::LifecycleActions(Inventory *inventory, SessionManager *sessions, std::function<QList<VmKey>()> selection,
                                   QWidget *window)
    : QObject(window)
    , m_inventory(inventory)
    , m_sessions(sessions)
    , m_selection(std::move(selection))
    , m_window(window)
{
    const auto make = [this, window](VmAction vmAction, QStyle::StandardPixmap icon, const QKeySequence &shortcut,
                                     const QString &tip) {
        auto *action = new QAction(window->style()->standardIcon(icon), vmActionDisplayName(vmAction), window);
        action->setShortcut(shortcut);
        action->setToolTip(QStringLiteral("%1 (%2)").arg(tip, shortcut.toString(QKeySequence::NativeText)));
        action->setStatusTip(tip);
        connect(action, &QAction::triggered, this, [this, vmAction] { trigger(vmAction); });
        Q_ASSERT(m_actions.size() == int(vmAction));
        m_actions.append(action);
    };
    make(VmAction::Start, QStyle::SP_MediaPlay, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), tr("Start the selected VMs"));
    make(VmAction::Shutdown, QStyle::SP_MediaStop, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D),
         tr("Ask the selected VMs' guests to shut down (ACPI)"));
    make(VmAction::Reboot, QStyle::SP_BrowserReload, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
         tr("Ask the selected VMs' guests to reboot"));
    make(VmAction::ForceOff, QStyle::SP_DialogDiscardButton, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K),
         tr("Power off the selected VMs at once, like pulling the plug"));
    make(VmAction::Pause, QStyle::SP_MediaPause, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P),
         tr("Pause the selected VMs (their memory stays allocated)"));
    make(VmAction::Resume, QStyle::SP_MediaSeekForward, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U),
         tr("Resume the selected paused VMs"));
}

QAction *LifecycleActions::action(VmAction action) const
{
    return m_actions.value(int(action));
}

void LifecycleActions::update()
{
    bool canStart = false, canStop = false, canPause = false, canResume = false;
    for (const VmKey &key : m_selection()) {
        const VmInfo *vm = m_inventory->findVm(key);
        // In post-copy (or failed after the switchover) the VM is half on each host: no
        // lifecycle action applies; the migration's own Resume is offered instead.
        if (!vm || m_inventory->host(key.hostUri).state != ConnectionState::Connected || vmInPostCopy(*vm))
            continue;
        canStart = canStart || vm->state == VmState::Shutoff || vm->state == VmState::Crashed;
        canStop = canStop || vm->state == VmState::Running || vm->state == VmState::Blocked || vm->state == VmState::Paused;
        canPause = canPause || vm->state == VmState::Running || vm->state == VmState::Blocked;
        canResume = canResume || vm->state == VmState::Paused;
    }
    action(VmAction::Start)->setEnabled(canStart);
    action(VmAction::Shutdown)->setEnabled(canStop);
    action(VmAction::Reboot)->setEnabled(canPause);
    action(VmAction::ForceOff)->setEnabled(canStop);
    action(VmAction::Pause)->setEnabled(canPause);
    action(VmAction::Resume)->setEnabled(canResume);
}

void LifecycleActions::trigger(VmAction action)
{
    QList<VmKey> targets;
    QStringList names;
    for (const VmKey &key : m_selection()) {
        targets.append(key);
        names.append(DisplayText::name(m_inventory->vm(key).name));
    }
    if (targets.isEmpty())
        return;
    if (!vmActionIsDestructive(action)) {
        m_sessions->runAction(targets, action);
        return;
    }
    const int count = int(targets.size());
    QString question;
    switch (action) {
    case VmAction::Shutdown: question = tr("Shut down %n VM(s)?", nullptr, count); break;
    case VmAction::Reboot: question = tr("Reboot %n VM(s)?", nullptr, count); break;
    default: question = tr("Force off %n VM(s)?", nullptr, count); break;
    }
    auto *box = new QMessageBox(QMessageBox::Warning, vmActionDisplayName(action), question, QMessageBox::Cancel, m_window);
    // One name per line: a list joined with commas wrapped inside names, at their hyphens.
    box->setInformativeText(names.mid(0, 10).join(QLatin1Char('\n'))
                            + (names.size() > 10 ? QLatin1Char('\n') + tr("and %n more", nullptr, int(names.size() - 10)) : QString()));
    if (action == VmAction::ForceOff)
        box->setDetailedText(tr("Force off cuts the power: unsaved data in the guests is lost."));
    QPushButton *confirm = box->addButton(vmActionDisplayName(action), QMessageBox::AcceptRole);
    box->setDefaultButton(QMessageBox::Cancel);
    setPlainText(box); // the informative text lists VM names
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, confirm, targets, action] {
        if (box->clickedButton() == confirm)
            m_sessions->runAction(targets, action);
    });
    box->open();
}

} // namespace Vigie
