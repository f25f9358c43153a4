import QtQuick
import QtTest
import Tautband.Models
import Tautband.Ui

// A shell wired to the real view models, and helpers to log in and out.
TestCase {
    id: fixture
    property Item root
    property var shell: null
    property var stop: null
    property Component shellComponent
    property Component stopComponent

    when: windowShown

    function makeShell() {
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
