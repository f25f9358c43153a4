import QtQuick
import QtQuick.VirtualKeyboard

// Qt Virtual Keyboard's panel. KeyboardLayer.qml places it (right of the
// navigation rail, at the window's foot while a text field has focus) and
// sizes it: width from the layer, height from the keyboard's aspect ratio.
// Loaded through a Loader so a missing keyboard module never stops the console.
InputPanel {
    objectName: "inputPanel"
    visible: active
}
