"""A stand-in for the FAB auth manager's application builder, for bootstrap.bats: users and roles live in the
JSON file $FAKE_AIRFLOW_USERS, with the same calls the bootstrap's users script makes on the real one."""
import contextlib
import json
import os


class _Role:
    def __init__(self, name):
        self.name = name

    def __eq__(self, other):
        return isinstance(other, _Role) and other.name == self.name


class _User:
    def __init__(self, record):
        self.username = record["username"]
        self.last_name = record["last_name"]
        self.password = record["password"]
        self.roles = [_Role(r) for r in record["roles"]]
        self.active = record["active"]

    def record(self):
        return {"username": self.username, "last_name": self.last_name, "password": self.password,
                "roles": [r.name for r in self.roles], "active": self.active}


class _Security:
    def __init__(self, path):
        self.path = path
        with open(path) as f:
            self.users = [_User(r) for r in json.load(f)]

    def find_user(self, username):
        return next((u for u in self.users if u.username == username), None)

    def find_role(self, name):
        if name not in ("Admin", "Op", "User", "Viewer"):
            return None
        return _Role(name)

    def add_user(self, username, first_name, last_name, email, role, password):
        if role is None:
            raise ValueError("no such role")
        self.users.append(_User({"username": username, "last_name": last_name, "password": password,
                                 "roles": [role.name], "active": True}))
        self._save()

    def update_user(self, user):
        self._save()

    def get_all_users(self):
        return list(self.users)

    def _save(self):
        with open(self.path, "w") as f:
            json.dump([u.record() for u in self.users], f)


class _AppBuilder:
    def __init__(self):
        self.sm = _Security(os.environ["FAKE_AIRFLOW_USERS"])


@contextlib.contextmanager
def get_application_builder():
    yield _AppBuilder()
