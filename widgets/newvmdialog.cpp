#include "newvmdialog.h"

#include "displaytext.h"
#include "elidedlabel.h"
#include "plaintext.h"
#include "inventory/inventory.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSettings>

namespace Vigie {

NewVmDialog::NewVmDialog(const Inventory *inventory, const VmTemplate &tmpl, const QString &hostUri, int vlanId,
                         QWidget *parent)
    : QDialog(parent)
    , m_inventory(inventory)
    , m_template(tmpl)
    , m_hostUri(hostUri)
    , m_vlanId(vlanId)
    , m_name(new QLineEdit(this))
    , m_tenant(new QComboBox(this))
    , m_start(new QCheckBox(tr("&Start it once created"), this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("New VM from %1").arg(DisplayText::singleLine(tmpl.name)));
    setObjectName(QStringLiteral("newVmDialog"));
    QStringList names;
    QStringList tenants;
    for (const VmKey &key : inventory->vmKeys()) {
        const VmInfo *vm = inventory->findVm(key);
        names.append(vm->name);
        if (!vm->tenant.isEmpty() && !tenants.contains(vm->tenant))
            tenants.append(vm->tenant);
    }
    tenants.sort(Qt::CaseInsensitive);
    m_name->setObjectName(QStringLiteral("newVmName"));
    m_name->setText(NewVm::suggestName(tmpl.name, names));
    m_name->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[A-Za-z0-9._-]{0,64}")), m_name));
    m_tenant->setObjectName(QStringLiteral("newVmTenant"));
    m_tenant->setEditable(true);
    m_tenant->addItems(tenants);
    const QSettings stored;
    m_tenant->setCurrentText(stored.value(QStringLiteral("placement/lastTenant")).toString());
    m_tenant->lineEdit()->setPlaceholderText(tr("none"));
    m_start->setObjectName(QStringLiteral("newVmStart"));
    m_start->setChecked(stored.value(QStringLiteral("placement/start"), true).toBool());
    m_problem->setStyleSheet(QStringLiteral("color: #b03000"));
    makePlainWrappingLabel(m_problem); // names the host

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Tenant:"), m_tenant);
    // The host's and the VLAN's names come from libvirt and the controller: plain, elided.
    auto *host = new ElidedLabel(this);
    host->setFullText(inventory->host(hostUri).displayName);
    auto *vlan = new ElidedLabel(this);
    vlan->setFullText(tr("%1 (%2)").arg(vlanId).arg(inventory->vlanName(vlanId)));
    auto *size = new ElidedLabel(this);
    size->setFullText(tmpl.summary());
    form->addRow(tr("Host:"), host);
    form->addRow(tr("VLAN:"), vlan);
    form->addRow(tr("Size:"), size);
    form->addRow(m_start);
    form->addRow(m_problem);
    QPushButton *create = m_buttons->addButton(tr("&Create"), QDialogButtonBox::AcceptRole);
    create->setObjectName(QStringLiteral("createButton"));
    create->setDefault(true);
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        QSettings settings;
        settings.setValue(QStringLiteral("placement/lastTenant"), m_tenant->currentText().trimmed());
        settings.setValue(QStringLiteral("placement/start"), m_start->isChecked());
        accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &NewVmDialog::validate);
    validate();
    m_name->selectAll();
}

NewVm NewVmDialog::newVm() const
{
    NewVm vm;
    vm.tmpl = m_template;
    vm.name = m_name->text().trimmed();
    vm.tenant = m_tenant->currentText().trimmed();
    vm.vlanId = m_vlanId;
    vm.start = m_start->isChecked();
    return vm;
}

void NewVmDialog::validate()
{
    const QString name = m_name->text().trimmed();
    QString problem;
    if (!NewVm::isValidName(name)) {
        problem = tr("A name starts with a letter or digit, then letters, digits, '.', '_' or '-' (64 at most).");
    } else {
        for (const VmKey &key : m_inventory->vmKeysOfHost(m_hostUri)) {
            if (m_inventory->vm(key).name.compare(name, Qt::CaseInsensitive) == 0) {
                problem = tr("%1 already has a VM named %2.").arg(DisplayText::name(m_inventory->host(m_hostUri).displayName), name);
                break;
            }
        }
    }
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    for (QAbstractButton *button : m_buttons->buttons()) {
        if (m_buttons->buttonRole(button) == QDialogButtonBox::AcceptRole)
            button->setEnabled(problem.isEmpty());
    }
}

} // namespace Vigie
