import QtQuick
import QtTest
import Tautband.Models
import Tautband.Ui

// A shell wired to the real view models with the on-screen keyboard, and
// helpers to log in and out.
TestCase {
    id: fixture
    property Item root
    property var shell: null
    property var stop: null
    property Component shellComponent
    property Component stopComponent
    // The on-screen keyboard, created before the shell as in Main.qml (a text
    // field focused with no InputPanel makes Qt Virtual Keyboard open its own
    // desktop window instead).
    property var keyboard: null

    when: windowShown

    Component { id: keyboardComponent; KeyboardLayer {} }

    function makeShell() {
        keyboard = createTemporaryObject(keyboardComponent, root)
        verify(keyboard !== null)
        tryCompare(keyboard, "status", Loader.Ready, 5000, "the keyboard module must load")
        stop = createTemporaryObject(stopComponent, root)
        shell = createTemporaryObject(shellComponent, root, { emergencyStop: stop, services: screensServices })
        verify(shell !== null)
        tryCompare(screensAuth, "stage", AuthModel.LoggedOut, 10000)
        waitForRendering(shell)
    }

    function field(name) {
        const f = findChild(shell, name)
        verify(f !== null, "field " + name)
        return f
    }

    // Clicks `target` once every ancestor is polished: layouts place their items on
    // polish, so until then the item's coordinates (and so the click's) are stale.
    function tap(target) {
        verify(target !== null)
        for (let item = target; item !== null; item = item.parent)
            waitForItemPolished(item, 5000)
        mouseClick(target)
    }

    // Taps the child `name` of `parentItem`, found afresh on every poll (a rail rebuilt
    // after log-in leaves dying delegates behind, parentless, at stale positions).
    function tapNamed(parentItem, name) {
        let target = null
        tryVerify(() => {
            target = findChild(parentItem, name)
            return target !== null && target.visible && target.enabled && inScene(target)
        }, 10000, name + " shown")
        tap(target)
        return target
    }
    function inScene(item) {
        let top = item
        while (top.parent !== null)
            top = top.parent
        let rootTop = root
        while (rootTop.parent !== null)
            rootTop = rootTop.parent
        return top === rootTop
    }

    // Whether the on-screen keyboard covers the centre of `target`.
    function underKeyboard(target) {
        const panel = keyboard ? keyboard.panel : null
        if (panel === null || !keyboard.keyboardUp)
            return false
        const c = target.mapToItem(panel, target.width / 2, target.height / 2)
        return c.x >= 0 && c.y >= 0 && c.x < panel.width && c.y < panel.height
    }

    // A key of the keyboard's current layout, by its Qt.Key code, inside the window.
    function keyOf(code) {
        const found = findKey(keyboard.panel, code)
        verify(found !== null, "the keyboard shows key " + code)
        const c = found.mapToItem(root, found.width / 2, found.height / 2)
        verify(c.x > 0 && c.y > 0 && c.x < root.width && c.y < root.height, "key " + code + " inside the window")
        return found
    }
    function findKey(item, code) {
        if (item.key === code && item.visible && item.width > 0 && item.enabled !== false)
            return item
        for (let i = 0; i < item.children.length; ++i) {
            const found = findKey(item.children[i], code)
            if (found)
                return found
        }
        return null
    }

    function logIn(login, password) {
        compare(shell.currentPageKey, "login")
        tryVerify(() => findChild(shell.currentPage, "logInButton") !== null)
        field("loginField").text = login
        field("passwordField").text = password
        const button = findChild(shell.currentPage, "logInButton")
        tryVerify(() => button.enabled)
        mouseClick(button)
        tryVerify(() => !screensAuth.busy, 10000)
    }

    function logOutAll() {
        if (screensAuth.loggedIn)
            screensAuth.logOut()
        screensAuth.clearMessage()
    }

    function verifyEStopOnTop() {
        const popup = shell.emergencyStopButton
        verify(popup.visible, "E-STOP popup visible")
        const button = popup.contentItem
        verify(button.visible && button.width >= 54 && button.height >= 54)
    }
}
