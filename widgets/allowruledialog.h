#pragma once

#include <QDialog>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace Vigie {

// One rule letting traffic into an isolated VM: a protocol, a port (not for ping), a source
// (any, a subnet, an address, or $address_set). The source is checked as it is typed by the
// caller's function, which names what is wrong; OK stays disabled until it is right.
class AllowRuleDialog : public QDialog
{
    Q_OBJECT

public:
    AllowRuleDialog(const QString &vmName, const QStringList &suggestedSources,
                    std::function<QString(const QString &protocol, int port, const QString &source)> refusal,
                    QWidget *parent = nullptr);

    [[nodiscard]] QString protocol() const;
    [[nodiscard]] int port() const;
    [[nodiscard]] QString source() const;

private:
    void check();

    std::function<QString(const QString &, int, const QString &)> m_refusal;
    QComboBox *m_protocol;
    QSpinBox *m_port;
    QComboBox *m_source;
    QLabel *m_problem;
    QPushButton *m_ok;
};

} // namespace Vigie
