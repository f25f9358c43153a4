import QtQuick
import QtQuick.VirtualKeyboard
import Tautband.Ui

// Qt Virtual Keyboard's panel, right of the navigation rail so the E-STOP
// stays uncovered; slides up while a text field has focus. Loaded through a
// Loader in Main.qml so a missing keyboard module never stops the console.
InputPanel {
    objectName: "inputPanel"
    x: Theme.railWidth
    width: parent ? parent.width - Theme.railWidth : 0
    y: parent ? (active ? parent.height - height : parent.height) : 0
    visible: active
}
