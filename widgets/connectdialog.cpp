#include "connectdialog.h"

#include "hypervisor/libvirturi.h"
#include "plaintext.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Vigie {

ConnectDialog::ConnectDialog(QWidget *parent)
    : QDialog(parent)
    , m_uri(new QLineEdit(QStringLiteral("qemu+ssh://root@"), this))
    , m_readOnly(new QCheckBox(tr("&Read-only"), this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Connect to host"));
    setObjectName(QStringLiteral("connectDialog"));
    auto *layout = new QVBoxLayout(this);
    auto *label = new QLabel(tr("libvirt &URI (qemu:///system, qemu+ssh://user@host/system, qemu+tls://host/system, "
                                "test:///path/node.xml):"),
                             this);
    label->setWordWrap(true);
    label->setBuddy(m_uri);
    layout->addWidget(label);
    m_uri->setObjectName(QStringLiteral("uri"));
    m_uri->setMinimumWidth(420);
    layout->addWidget(m_uri);
    // A URI libvirt cannot parse is refused here, with the reason, rather than retried.
    m_problem->setObjectName(QStringLiteral("uriProblem"));
    makePlainWrappingLabel(m_problem);
    m_problem->hide();
    layout->addWidget(m_problem);
    m_readOnly->setObjectName(QStringLiteral("readOnly"));
    m_readOnly->setToolTip(tr("Open the connection read-only (the daemon's read-only socket): libvirt refuses every "
                              "change made through it, and Vigie offers none. Remembered with the connection."));
    layout->addWidget(m_readOnly);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_uri, &QLineEdit::textChanged, this, [this](const QString &text) {
        // The template as offered is not an error yet: the operator is about to type the host.
        const QString problem = text.trimmed() == QLatin1String("qemu+ssh://root@") ? QString() : libvirtUriProblem(text.trimmed());
        m_problem->setText(problem);
        m_problem->setVisible(!problem.isEmpty());
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty() && !text.trimmed().isEmpty());
    });
}

QString ConnectDialog::uri() const
{
    return m_uri->text().trimmed();
}

bool ConnectDialog::readOnly() const
{
    return m_readOnly->isChecked();
}

void ConnectDialog::setReadOnlyForced(bool forced)
{
    if (forced)
        m_readOnly->setChecked(true);
    m_readOnly->setEnabled(!forced);
    if (forced)
        m_readOnly->setToolTip(tr("Vigie runs read-only (--read-only): every connection is."));
}

} // namespace Vigie
