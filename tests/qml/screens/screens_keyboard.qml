import QtQuick
import QtQuick.Controls
import QtQuick.VirtualKeyboard
import QtTest
import Tautband.Models
import Tautband.Ui

// Qt Virtual Keyboard on the real shell (run with QT_IM_MODULE=qtvirtualkeyboard):
// focusing a text field brings the input panel up, a tap on one of its keys
// types into the field, and the E-STOP stays visible, on top and uncovered.
Item {
    id: root
    width: 1280
    height: 800

    Component { id: shellComponent; Shell { width: 1280; height: 800 } }
    Component { id: stopComponent; EmergencyStop {} }
    Component {
        id: supervisorComponent
        SupervisorDialog {
            auth: screensAuth
            ruleId: "DN-LUNG-DISEASE"
            ruleText: "Lung disease: a supervisor approves thoracic needling for this patient and session."
        }
    }

    ScreensFixture {
        id: fixture
        name: "Keyboard"
        root: root
        shellComponent: shellComponent
        stopComponent: stopComponent
        // makeShell() creates the keyboard layer (ScreensFixture.keyboard) first.
        property var keys: null

        function init() {
            makeShell()
            keys = keyboard
        }
        function cleanup() {
            Qt.inputMethod.hide()
            logOutAll()
        }

        // A key of the panel's current layout, found by its Qt.Key code.
        function findKey(item, key) {
            if (item.key === key && item.visible && item.width > 0 && item.enabled !== false)
                return item
            for (let i = 0; i < item.children.length; ++i) {
                const found = findKey(item.children[i], key)
                if (found)
                    return found
            }
            return null
        }

        function rectOf(item) {
            const p = item.mapToItem(root, 0, 0)
            return Qt.rect(p.x, p.y, item.width, item.height)
        }

        function overlaps(a, b) {
            return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
        }

        function focusLoginField() {
            const field = findChild(shell.currentPage, "loginField")
            verify(field !== null)
            mouseClick(field)
            tryVerify(() => field.activeFocus)
            return field
        }

        function test_focusedFieldBringsTheKeyboardUp() {
            const panel = keys.panel
            verify(panel !== null)
            verify(!panel.active || Qt.inputMethod.visible)
            focusLoginField()
            tryVerify(() => Qt.inputMethod.visible, 5000, "Qt.inputMethod.visible")
            tryVerify(() => panel.active, 5000, "InputPanel.active")
            tryVerify(() => keys.keyboardUp, 5000, "panel slid into view")
            // On screen: inside the window, at its foot, right of the rail.
            const r = rectOf(panel)
            verify(r.height > 100, "panel height " + r.height)
            compare(r.y + r.height, root.height)
            verify(r.x >= Theme.railWidth, "panel x " + r.x)
            // All of it inside the window: the Enter and Backspace keys at its right edge too.
            compare(r.x + r.width, root.width)
            verify(r.height < root.height / 2, "panel height " + r.height)
            // Qt.inputMethod reports the keys' height to layouts (KeyboardState.height).
            compare(Math.round(Qt.inputMethod.keyboardRectangle.height), Math.round(r.height))
            const enter = keyOf(Qt.Key_Return)
            verify(enter.mapToItem(root, enter.width, 0).x <= root.width, "Enter key inside the window")
        }

        function test_tappingAKeyTypesIntoTheField() {
            const field = focusLoginField()
            field.text = ""
            tryVerify(() => keys.keyboardUp, 5000)
            waitForRendering(keys.panel)
            const keyA = findKey(keys.panel, Qt.Key_A)
            verify(keyA !== null, "the keyboard shows an 'a' key")
            mouseClick(keyA)
            tryCompare(field, "text", "a", 5000)
            const keyB = findKey(keys.panel, Qt.Key_B)
            verify(keyB !== null)
            mouseClick(keyB)
            tryCompare(field, "text", "ab", 5000)
            // The input engine is the same path the keys use.
            InputContext.inputEngine.virtualKeyClick(Qt.Key_C, "c", Qt.NoModifier)
            tryCompare(field, "text", "abc", 5000)
            verifyEStopOnTop()
        }

        // The supervisor types with the keyboard up: the reason and the buttons stay above
        // the keys, also once the store's refusal is shown.
        function test_supervisorDialogKeepsItsButtonsAboveTheKeyboard() {
            logIn("therapist", "therapist-pass-1")
            tryVerify(() => screensAuth.loggedIn)
            const dialog = createTemporaryObject(supervisorComponent, shell)
            dialog.open()
            tryVerify(() => dialog.opened)
            tryVerify(() => keys.keyboardUp, 5000, "keyboard up for the supervisor's login")
            const names = ["supervisorLogin", "supervisorPassword", "supervisorReason", "supervisorApprove", "supervisorCancel"]
            const checkAbove = () => {
                for (const name of names) {
                    const item = findChild(dialog.contentItem, name)
                    verify(item !== null, name)
                    for (let i = item; i !== null; i = i.parent)
                        waitForItemPolished(i, 5000)
                    verify(item.mapToItem(root, 0, 0).y >= 0, name + " inside the window")
                    verify(!underKeyboard(item), name + " above the keyboard")
                }
            }
            checkAbove()
            findChild(dialog.contentItem, "supervisorLogin").text = "manager"
            findChild(dialog.contentItem, "supervisorPassword").text = "not-the-password"
            findChild(dialog.contentItem, "supervisorReason").text = "keyboard test"
            tap(findChild(dialog.contentItem, "supervisorApprove"))
            tryVerify(() => dialog.resultText.length > 0, 10000, "the store's answer")
            verify(dialog.opened, "a refusal keeps the dialog open")
            verify(keys.keyboardUp)
            checkAbove()
            verifyEStopOnTop()
            dialog.close()
        }

        function test_eStopStaysOnTopAndUncoveredWhileTheKeyboardIsUp() {
            focusLoginField()
            tryVerify(() => keys.keyboardUp, 5000)
            const popup = shell.emergencyStopButton
            verifyEStopOnTop()
            verify(popup.z > keys.z, "E-STOP z " + popup.z + " above keyboard z " + keys.z)
            verify(!overlaps(rectOf(popup.contentItem), rectOf(keys.panel)), "the keyboard must not cover the E-STOP")
            // What a finger on the E-STOP's centre hits is the E-STOP.
            mouseClick(popup.contentItem)
            compare(stop.pressCount, 1, "the E-STOP works while the keyboard is up")
            verify(Qt.inputMethod.visible || keys.keyboardUp)
        }
    }
}
