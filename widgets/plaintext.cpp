#include "plaintext.h"

#include <QLabel>
#include <QMessageBox>

namespace Vigie {

void setPlainText(QWidget *dialog)
{
    if (auto *box = qobject_cast<QMessageBox *>(dialog))
        box->setTextFormat(Qt::PlainText);
    // QMessageBox::setTextFormat() reaches the main text only; the informative label and a
    // QInputDialog's label are QLabels of their own, which guess the format from the text.
    for (QLabel *label : dialog->findChildren<QLabel *>()) {
        if (label->pixmap().isNull())
            label->setTextFormat(Qt::PlainText);
    }
}

void makePlainWrappingLabel(QLabel *label)
{
    label->setTextFormat(Qt::PlainText);
    label->setOpenExternalLinks(false);
    label->setWordWrap(true);
}

} // namespace Vigie
