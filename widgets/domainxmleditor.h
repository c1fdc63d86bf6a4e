#pragma once

#include "inventory/vminfo.h"
#include "xmldiffdialog.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;

namespace Vigie {

class Inventory;
class SessionManager;
class XmlView;

// A VM's domain XML: the live XML, read-only, until Edit loads the saved definition into the
// editor. Apply checks it (well-formed, same name and UUID: anything else would define a second
// VM), shows the diff, and saves it through virDomainDefineXML on the host's worker. libvirt's
// error is shown under the editor and the edited text stays: nothing is applied partially and
// nothing typed is lost, not even when another VM is selected meanwhile (drafts are kept per VM).
class DomainXmlEditor : public QWidget
{
    Q_OBJECT

public:
    DomainXmlEditor(Inventory *inventory, SessionManager *sessions, QWidget *parent = nullptr);

    void setVm(const VmKey &key);
    // Fetches the live XML again if shown and not being edited.
    void reload();
    void startEditing();
    // Checks the edited text and, if it is valid and changed, opens the diff for approval.
    void apply();
    void discard();

    [[nodiscard]] bool isEditing() const { return m_editing; }
    [[nodiscard]] XmlView *view() const { return m_view; }
    [[nodiscard]] QString errorText() const;
    [[nodiscard]] QString statusText() const;
    [[nodiscard]] XmlDiffDialog *pendingDiff() const { return m_diff; }
    // A definition was sent to libvirt and its answer has not come yet.
    [[nodiscard]] bool isSaving() const { return m_saving; }

Q_SIGNALS:
    void applied(const Vigie::VmKey &key);

private:
    struct Draft
    {
        QString original; // the saved definition the edit started from
        QString edited;
        QString error; // libvirt's refusal, when it came while another VM was shown
    };

    // The answers to reload(), startEditing() and send().
    void liveXmlReady(const VmKey &key, const QString &xml, const QString &error);
    void definitionReady(const VmKey &key, const QString &xml, const QString &error);
    void saved(bool ok, const QString &message);
    void send();
    void setEditing(bool editing);
    void showError(const QString &message);
    void updateButtons();

    Inventory *m_inventory;
    SessionManager *m_sessions;
    VmKey m_vm;
    bool m_editing = false;
    bool m_loaded = false;
    bool m_awaitingDefinition = false; // Edit asked for the saved definition
    QString m_original;
    bool m_saving = false; // a define call is in flight
    VmKey m_pendingVm;     // whose definition it saves
    QHash<VmKey, Draft> m_drafts;
    QPointer<XmlDiffDialog> m_diff;

    XmlView *m_view;
    QLabel *m_status;
    QLabel *m_error;
    QPushButton *m_edit;
    QPushButton *m_apply;
    QPushButton *m_discard;
};

} // namespace Vigie
