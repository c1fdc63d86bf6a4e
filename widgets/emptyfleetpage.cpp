#include "emptyfleetpage.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Vigie {

namespace {

QPushButton *buttonFor(QAction *action, QWidget *parent)
{
    auto *button = new QPushButton(action->icon(), action->text(), parent);
    button->setToolTip(action->statusTip());
    QObject::connect(button, &QPushButton::clicked, action, &QAction::trigger);
    return button;
}

} // namespace

EmptyFleetPage::EmptyFleetPage(QAction *connectHost, QAction *openDemo, QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("emptyFleetPage"));
    auto *title = new QLabel(tr("No host connected"), this);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    title->setFont(big);
    title->setAlignment(Qt::AlignCenter);
    auto *text = new QLabel(tr("Connect to a libvirt host, or open the demo datacenter: a fleet and its network "
                               "controller, with no infrastructure."),
                            this);
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignCenter);
    text->setMinimumHeight(text->fontMetrics().lineSpacing() * 3);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    QPushButton *connect = buttonFor(connectHost, this);
    connect->setObjectName(QStringLiteral("emptyFleetConnect"));
    connect->setDefault(true);
    buttons->addWidget(connect);
    QPushButton *demo = buttonFor(openDemo, this);
    demo->setObjectName(QStringLiteral("emptyFleetDemo"));
    buttons->addWidget(demo);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addStretch();
    layout->addWidget(title);
    layout->addWidget(text);
    layout->addSpacing(8);
    layout->addLayout(buttons);
    layout->addStretch(2);
}

} // namespace Vigie
