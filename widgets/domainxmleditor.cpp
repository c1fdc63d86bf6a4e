#include "domainxmleditor.h"

#include "displaytext.h"
#include "plaintext.h"
#include "hypervisor/accesspolicy.h"
#include "hypervisor/domainxml.h"
#include "hypervisor/linediff.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "xmldiffdialog.h"
#include "xmlview.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QTextCursor>
#include <QTextBlock>
#include <QTextDocument>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace Vigie {

DomainXmlEditor::DomainXmlEditor(Inventory *inventory, SessionManager *sessions, QWidget *parent)
    : QWidget(parent)
    , m_inventory(inventory)
    , m_sessions(sessions)
    , m_view(new XmlView(this))
    , m_status(new QLabel(this))
    , m_error(new QLabel(this))
    , m_edit(new QPushButton(tr("&Edit"), this))
    , m_apply(new QPushButton(tr("&Apply…"), this))
    , m_discard(new QPushButton(tr("&Discard"), this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    auto *bar = new QHBoxLayout;
    m_edit->setToolTip(tr("Edit the saved definition of this VM (Ctrl+E)"));
    m_apply->setToolTip(tr("Check the definition, show what changes, then save it (Ctrl+S)"));
    m_discard->setToolTip(tr("Drop your changes and show the live XML again"));
    m_status->setEnabled(false);
    bar->addWidget(m_edit);
    bar->addWidget(m_apply);
    bar->addWidget(m_discard);
    bar->addSpacing(8);
    bar->addWidget(m_status, 1);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    m_error->setWordWrap(true);
    makePlainWrappingLabel(m_error); // libvirt's error message
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("QLabel { color: #c0392b; }"));
    m_error->hide();
    layout->addWidget(m_error);
    m_view->setLineNumbersShown(true);

    connect(m_edit, &QPushButton::clicked, this, &DomainXmlEditor::startEditing);
    connect(m_sessions->accessPolicy(), &AccessPolicy::changed, this, &DomainXmlEditor::updateButtons);
    connect(m_apply, &QPushButton::clicked, this, &DomainXmlEditor::apply);
    connect(m_discard, &QPushButton::clicked, this, &DomainXmlEditor::discard);
    // Ctrl+E is the window's VM › Edit XML (which shows this tab first): not a second shortcut here.
    auto *applyShortcut = new QShortcut(QKeySequence::Save, this);
    applyShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(applyShortcut, &QShortcut::activated, this, &DomainXmlEditor::apply);
    connect(m_view, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_editing || !m_vm.isValid())
            return;
        const QString edited = m_view->toPlainText();
        if (edited == m_original)
            m_drafts.remove(m_vm);
        else
            m_drafts[m_vm] = {m_original, edited, {}};
    });
    setEditing(false);
}

void DomainXmlEditor::setVm(const VmKey &key)
{
    if (key == m_vm)
        return;
    if (m_diff)
        m_diff->reject();
    m_vm = key;
    m_error->hide();
    m_view->clearErrorLine();
    m_loaded = false;
    m_awaitingDefinition = false;
    const auto draft = m_drafts.constFind(key);
    if (draft != m_drafts.cend()) {
        // Back to a VM with unsaved changes: they are still here.
        m_original = draft->original;
        const QString edited = draft->edited;
        const QString error = draft->error;
        setEditing(true);
        m_view->setPlainText(edited);
        m_status->setText(tr("Unsaved changes to the saved definition"));
        if (!error.isEmpty())
            showError(error);
        return;
    }
    setEditing(false);
    m_view->setXml({});
}

void DomainXmlEditor::reload()
{
    if (!m_vm.isValid() || m_editing)
        return;
    if (!m_loaded)
        m_view->setXml(tr("<!-- loading… -->"));
    m_loaded = true;
    m_sessions->requestDomainXml(m_vm, false, {this, [this, key = m_vm](const QString &xml, const QString &error) {
                                                   liveXmlReady(key, xml, error);
                                               }});
}

void DomainXmlEditor::startEditing()
{
    if (!m_vm.isValid() || m_editing || !m_sessions->accessPolicy()->writeRefusal(m_vm.hostUri).isEmpty())
        return;
    m_error->hide();
    m_status->setText(tr("Loading the saved definition…"));
    m_edit->setEnabled(false);
    m_awaitingDefinition = true;
    m_sessions->requestDomainXml(m_vm, true, {this, [this, key = m_vm](const QString &xml, const QString &error) {
                                                  definitionReady(key, xml, error);
                                              }});
}

void DomainXmlEditor::liveXmlReady(const VmKey &key, const QString &xml, const QString &error)
{
    if (key == m_vm && !m_editing)
        m_view->setXml(error.isEmpty() ? xml : tr("<!-- cannot read the domain XML: %1 -->").arg(error));
}

void DomainXmlEditor::definitionReady(const VmKey &key, const QString &xml, const QString &error)
{
    // Another VM shown since Edit was pressed: the answer is about one no longer shown.
    if (key != m_vm || m_editing || !m_awaitingDefinition)
        return;
    m_awaitingDefinition = false;
    if (!error.isEmpty()) {
        showError(tr("Cannot read the saved definition: %1").arg(error));
        updateButtons();
        return;
    }
    m_original = xml;
    setEditing(true);
    m_view->setPlainText(xml);
    m_view->setFocus();
}

void DomainXmlEditor::apply()
{
    if (!m_editing || m_saving || m_diff)
        return;
    m_error->hide();
    const QString edited = m_view->toPlainText();
    const DomainXml::Result parsed = DomainXml::parse(edited.toUtf8());
    if (!parsed.vm) {
        showError(tr("The definition is not valid domain XML: %1").arg(parsed.error));
        // The cursor goes where the parser stopped, and the line is marked until it is edited.
        if (parsed.errorLine > 0) {
            m_view->markErrorLine(int(std::min<qint64>(parsed.errorLine, std::numeric_limits<int>::max())),
                                  parsed.error);
            const QTextBlock block = m_view->document()->findBlockByNumber(int(parsed.errorLine - 1));
            if (block.isValid()) {
                QTextCursor cursor(block);
                cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor,
                                    int(std::clamp<qint64>(parsed.errorColumn - 1, 0, block.length() - 1)));
                m_view->setTextCursor(cursor);
                m_view->setFocus();
            }
        }
        return;
    }
    const VmInfo current = m_inventory->vm(m_vm);
    if (parsed.vm->uuid.compare(m_vm.uuid, Qt::CaseInsensitive) != 0) {
        showError(tr("The <uuid> must stay %1: a different or missing UUID would define another VM.").arg(m_vm.uuid));
        return;
    }
    if (!current.name.isEmpty() && parsed.vm->name != current.name) {
        showError(tr("The <name> must stay %1: libvirt renames a VM only when it is shut off, with virsh domrename.")
                      .arg(current.name));
        return;
    }
    if (diffLines(m_original, edited).isEmpty()) {
        showError(tr("Nothing to apply: the definition is unchanged."));
        return;
    }
    m_diff = new XmlDiffDialog(current.name.isEmpty() ? m_vm.uuid : current.name, m_original, edited, this);
    m_diff->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_diff, &QDialog::accepted, this, &DomainXmlEditor::send);
    m_diff->open();
}

void DomainXmlEditor::send()
{
    if (!m_editing || !m_vm.isValid())
        return;
    m_saving = true;
    m_pendingVm = m_vm;
    m_status->setText(tr("Saving the definition…"));
    m_view->setReadOnly(true);
    updateButtons();
    m_sessions->defineDomain(m_vm.hostUri, m_view->toPlainText(), false,
                             {this, [this](bool ok, const QString &message) { saved(ok, message); }});
}

void DomainXmlEditor::saved(bool ok, const QString &message)
{
    m_saving = false;
    const VmKey key = m_pendingVm;
    const QString refusal = tr("libvirt refused the definition; nothing was changed: %1").arg(message);
    if (key != m_vm) {
        // Another VM is shown now: its draft keeps the outcome for when the operator comes back.
        if (ok)
            m_drafts.remove(key);
        else if (m_drafts.contains(key))
            m_drafts[key].error = refusal;
        if (ok)
            Q_EMIT applied(key);
        updateButtons();
        return;
    }
    if (!ok) {
        m_view->setReadOnly(false);
        showError(refusal);
        m_status->setText(tr("Editing the saved definition"));
        updateButtons();
        return;
    }
    m_drafts.remove(key);
    setEditing(false);
    const VmInfo vm = m_inventory->vm(key);
    m_status->setText(vm.isActive() ? tr("Definition saved. The running VM takes most changes at its next boot.")
                                    : tr("Definition saved."));
    m_loaded = false;
    reload();
    Q_EMIT applied(key);
}

void DomainXmlEditor::discard()
{
    if (!m_editing || m_saving)
        return;
    m_drafts.remove(m_vm);
    setEditing(false);
    // The refusal was about the discarded edit: it goes with it.
    m_error->hide();
    m_error->clear();
    m_loaded = false;
    reload();
}

void DomainXmlEditor::setEditing(bool editing)
{
    m_editing = editing;
    m_view->setReadOnly(!editing);
    if (!editing)
        m_original.clear();
    m_status->setText(editing ? tr("Editing the saved definition") : tr("Live configuration, read-only"));
    updateButtons();
}

void DomainXmlEditor::showError(const QString &message)
{
    m_error->setText(DisplayText::wrappable(message, DisplayText::MaxToolTipLength));
    m_error->show();
}

void DomainXmlEditor::updateButtons()
{
    const bool busy = m_saving;
    const QString readOnly = m_vm.isValid() ? m_sessions->accessPolicy()->writeRefusal(m_vm.hostUri) : QString();
    m_edit->setEnabled(m_vm.isValid() && !m_editing && readOnly.isEmpty());
    m_edit->setToolTip(readOnly.isEmpty() ? tr("Edit the saved definition of this VM (Ctrl+E)") : DisplayText::toolTip(readOnly));
    m_apply->setEnabled(m_editing && !busy);
    m_discard->setEnabled(m_editing && !busy);
}

QString DomainXmlEditor::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

QString DomainXmlEditor::statusText() const
{
    return m_status->text();
}

} // namespace Vigie
