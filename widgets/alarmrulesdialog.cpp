#include "alarmrulesdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Vigie {

namespace {

enum Column { RuleColumn, ThresholdColumn, ClearColumn, DurationColumn, SeverityColumn, ColumnCount };

QDoubleSpinBox *levelBox(const AlarmRule &rule, double value)
{
    auto *box = new QDoubleSpinBox;
    const bool percent = alarmQuantityUnit(rule.quantity) == QLatin1StringView("%");
    box->setRange(0, percent ? 100 : 100000);
    box->setDecimals(rule.quantity == AlarmQuantity::VmStaleSeconds ? 0 : 1);
    box->setSuffix(QLatin1Char(' ') + alarmQuantityUnit(rule.quantity));
    box->setValue(value);
    box->setFrame(false);
    return box;
}

} // namespace

AlarmRulesDialog::AlarmRulesDialog(const QList<AlarmRule> &rules, bool notify, QWidget *parent)
    : QDialog(parent)
    , m_rules(rules)
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_notify(new QCheckBox(tr("Desktop notification for each new critical alarm"), this))
{
    setWindowTitle(tr("Alarm rules"));
    m_table->setHorizontalHeaderLabels({tr("Rule"), tr("Raised above"), tr("Cleared below"), tr("For at least"),
                                        tr("Severity")});
    m_table->verticalHeader()->hide();
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->horizontalHeader()->setSectionResizeMode(RuleColumn, QHeaderView::Stretch);
    m_table->setToolTip(tr("A figure raises its alarm once it has stayed beyond the threshold for the time "
                           "given, and clears it only once back beyond the clear level, so that a figure "
                           "wavering around the threshold raises one alarm."));
    m_notify->setChecked(notify);
    fill(rules);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel
                                             | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] {
        m_rules = defaultAlarmRules();
        fill(m_rules);
    });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_notify);
    layout->addWidget(buttons);
    resize(760, 440);
}

void AlarmRulesDialog::fill(const QList<AlarmRule> &rules)
{
    m_table->setRowCount(0);
    m_table->setRowCount(int(rules.size()));
    for (int row = 0; row < rules.size(); ++row) {
        const AlarmRule &rule = rules.at(row);
        auto *name = new QTableWidgetItem(alarmRuleDisplayName(rule));
        name->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        name->setCheckState(rule.enabled ? Qt::Checked : Qt::Unchecked);
        m_table->setItem(row, RuleColumn, name);
        if (rule.kind == AlarmKind::Threshold) {
            m_table->setCellWidget(row, ThresholdColumn, levelBox(rule, rule.threshold));
            m_table->setCellWidget(row, ClearColumn, levelBox(rule, rule.clearAt));
            auto *duration = new QSpinBox;
            duration->setRange(0, 24 * 3600);
            duration->setSuffix(tr(" s", "seconds"));
            duration->setValue(rule.durationS);
            duration->setFrame(false);
            m_table->setCellWidget(row, DurationColumn, duration);
        } else {
            //: An event rule has no threshold: the cell says when it is raised
            auto *when = new QTableWidgetItem(tr("when it happens"));
            when->setFlags(Qt::ItemIsEnabled);
            m_table->setItem(row, ThresholdColumn, when);
            m_table->setSpan(row, ThresholdColumn, 1, 3);
        }
        auto *severity = new QComboBox;
        severity->addItem(alarmSeverityDisplayName(AlarmSeverity::Warning));
        severity->addItem(alarmSeverityDisplayName(AlarmSeverity::Critical));
        severity->setCurrentIndex(rule.severity == AlarmSeverity::Critical ? 1 : 0);
        severity->setFrame(false);
        m_table->setCellWidget(row, SeverityColumn, severity);
    }
    m_table->resizeColumnsToContents();
    m_table->horizontalHeader()->setSectionResizeMode(RuleColumn, QHeaderView::Stretch);
}

QList<AlarmRule> AlarmRulesDialog::rules() const
{
    QList<AlarmRule> rules = m_rules;
    for (int row = 0; row < rules.size(); ++row) {
        AlarmRule &rule = rules[row];
        rule.enabled = m_table->item(row, RuleColumn)->checkState() == Qt::Checked;
        rule.severity = static_cast<QComboBox *>(m_table->cellWidget(row, SeverityColumn))->currentIndex() == 1
                            ? AlarmSeverity::Critical
                            : AlarmSeverity::Warning;
        if (rule.kind != AlarmKind::Threshold)
            continue;
        rule.threshold = static_cast<QDoubleSpinBox *>(m_table->cellWidget(row, ThresholdColumn))->value();
        rule.clearAt = static_cast<QDoubleSpinBox *>(m_table->cellWidget(row, ClearColumn))->value();
        rule.durationS = static_cast<QSpinBox *>(m_table->cellWidget(row, DurationColumn))->value();
        // A clear level beyond the threshold would clear at once: it is the threshold then.
        if (rule.above ? rule.clearAt > rule.threshold : rule.clearAt < rule.threshold)
            rule.clearAt = rule.threshold;
    }
    return rules;
}

bool AlarmRulesDialog::notify() const
{
    return m_notify->isChecked();
}

} // namespace Vigie
