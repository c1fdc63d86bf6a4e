#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;

namespace Vigie {

class Inventory;
class VmFilterProxyModel;

// The bar above the VM table and the topology: the search (words and fields, with completion),
// the state to show, and how many VMs the filter leaves ("13 of 48 VMs shown", only while
// filtering). It filters FILTER; query() is the same search for the topology's highlight.
class VmFilterBar : public QWidget
{
    Q_OBJECT

public:
    VmFilterBar(const Inventory *inventory, VmFilterProxyModel *filter, QWidget *parent = nullptr);

    [[nodiscard]] QLineEdit *edit() const { return m_edit; }
    void setText(const QString &text);
    // The search and the chosen state as one query ("web state:running").
    [[nodiscard]] QString query() const;
    // The fleet's size changed (the count says "of TOTAL").
    void setTotal(int total);

Q_SIGNALS:
    // The search or the state changed (after FILTER has filtered).
    void queryChanged(const QString &query);

private:
    void updateCount();

    VmFilterProxyModel *m_filter;
    QLineEdit *m_edit;
    QComboBox *m_state;
    QLabel *m_count;
    int m_total = 0;
};

} // namespace Vigie
