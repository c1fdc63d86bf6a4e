#pragma once

class QLabel;
class QWidget;

namespace Vigie {

// Every text label of a dialog (a QMessageBox's text and informative text, a QInputDialog's
// label) shows plain text: what libvirt or the controller wrote there (names, error messages) is
// never taken for markup, linked or loaded. Call it after the texts are set: QMessageBox makes
// its informative label on demand.
void setPlainText(QWidget *dialog);

// A word-wrapped label for outside text: plain text, wrapping (long runs must have break
// opportunities: DisplayText::wrappable), never opening links.
void makePlainWrappingLabel(QLabel *label);

} // namespace Vigie
