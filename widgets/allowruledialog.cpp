#include "allowruledialog.h"

#include "displaytext.h"
#include "plaintext.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Vigie {

AllowRuleDialog::AllowRuleDialog(const QString &vmName, const QStringList &suggestedSources,
                                 std::function<QString(const QString &, int, const QString &)> refusal, QWidget *parent)
    : QDialog(parent)
    , m_refusal(std::move(refusal))
    , m_protocol(new QComboBox(this))
    , m_port(new QSpinBox(this))
    , m_source(new QComboBox(this))
    , m_problem(new QLabel(this))
{
    setWindowTitle(tr("Allow into %1").arg(DisplayText::singleLine(vmName)));
    m_protocol->setObjectName(QStringLiteral("ruleProtocol"));
    m_protocol->addItem(tr("TCP"), QStringLiteral("tcp"));
    m_protocol->addItem(tr("UDP"), QStringLiteral("udp"));
    m_protocol->addItem(tr("Ping (ICMP echo)"), QStringLiteral("icmp"));
    m_port->setObjectName(QStringLiteral("rulePort"));
    m_port->setRange(1, 65535);
    m_port->setValue(443);
    m_source->setObjectName(QStringLiteral("ruleSource"));
    m_source->setEditable(true);
    m_source->addItem(QStringLiteral("any"));
    m_source->addItems(suggestedSources);
    m_source->setToolTip(tr("any, a subnet (10.0.0.0/24), an address, or an address set ($name)"));
    makePlainWrappingLabel(m_problem);
    m_problem->setObjectName(QStringLiteral("ruleProblem"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Protocol:"), m_protocol);
    form->addRow(tr("P&ort:"), m_port);
    form->addRow(tr("&From:"), m_source);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("&Preview…"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("The VM is isolated: only its group reaches it. This rule lets more in (stateful: the answers go out)."), this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);

    connect(m_protocol, &QComboBox::currentIndexChanged, this, &AllowRuleDialog::check);
    connect(m_port, &QSpinBox::valueChanged, this, &AllowRuleDialog::check);
    connect(m_source, &QComboBox::currentTextChanged, this, &AllowRuleDialog::check);
    check();
}

QString AllowRuleDialog::protocol() const
{
    return m_protocol->currentData().toString();
}

int AllowRuleDialog::port() const
{
    return protocol() == u"icmp" ? 0 : m_port->value();
}

QString AllowRuleDialog::source() const
{
    return m_source->currentText().trimmed();
}

void AllowRuleDialog::check()
{
    m_port->setEnabled(protocol() != u"icmp");
    const QString problem = m_refusal ? m_refusal(protocol(), port(), source()) : QString();
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_ok->setEnabled(problem.isEmpty());
}

} // namespace Vigie
