//! What every command gets: the connection, the global flags, and the objects it names.

use std::collections::HashMap;

use levitate_dbus::{options, Error, JobProxy, ManagerProxy, PlanProxy, NO_OBJECT};
use zbus::{
    proxy::CacheProperties,
    zvariant::{OwnedObjectPath, Value},
    Connection,
};

use crate::exit::Failure;

pub struct Ctx {
    pub conn: Connection,
    pub json: bool,
    pub no_interaction: bool,
}

impl Ctx {
    pub fn opts(&self) -> HashMap<&'static str, Value<'static>> {
        let mut o = HashMap::new();
        if self.no_interaction {
            o.insert(options::NO_USER_INTERACTION, Value::from(true));
        }
        o
    }

    pub async fn manager(&self) -> Result<ManagerProxy<'static>, Failure> {
        Ok(ManagerProxy::new(&self.conn).await?)
    }

    /// The plan at `path`.
    pub async fn plan_at(&self, path: OwnedObjectPath) -> Result<PlanProxy<'static>, Failure> {
        Ok(PlanProxy::builder(&self.conn).path(path)?.build().await?)
    }

    /// The job at `path`. Its properties are read from the daemon each time, never from
    /// a cache: `watch` re-reads `State` to make a missed `Completed` harmless, and a cached
    /// `State` filled while the job was finishing stayed "running" (seen once under load:
    /// `plan confirm --watch` waited past its test's 120 s on a job done in 20 ms).
    pub async fn job_at(&self, path: OwnedObjectPath) -> Result<JobProxy<'static>, Failure> {
        Ok(JobProxy::builder(&self.conn)
            .path(path)?
            .cache_properties(CacheProperties::No)
            .build()
            .await?)
    }

    /// The plan named on the command line, else the newest pending plan.
    pub async fn plan(&self, path: Option<String>) -> Result<PlanProxy<'static>, Failure> {
        let path = match path {
            Some(text) => {
                let plan = self
                    .plan_at(object_path(&text, levitate_dbus::PLAN_PATH_PREFIX)?)
                    .await?;
                exists(plan.state().await, || format!("no plan {text}"))?;
                return Ok(plan);
            }
            None => self
                .manager()
                .await?
                .pending_plans()
                .await?
                .pop()
                .ok_or_else(|| {
                    Failure::from(Error::NoSuchObject(
                        "there is no pending plan; propose one first".into(),
                    ))
                })?,
        };
        self.plan_at(path).await
    }

    /// The job named on the command line, else the running job, else the last one.
    pub async fn job(&self, path: Option<String>) -> Result<JobProxy<'static>, Failure> {
        let path = if let Some(text) = path {
            let job = self
                .job_at(object_path(&text, levitate_dbus::JOB_PATH_PREFIX)?)
                .await?;
            exists(job.state().await, || format!("no job {text}"))?;
            return Ok(job);
        } else {
            let m = self.manager().await?;
            let active = m.active_job().await?;
            let chosen = active_or_last(&m, &active).await?;
            if chosen.as_str() == NO_OBJECT {
                return Err(Error::NoSuchObject("no job has run yet".into()).into());
            }
            chosen
        };
        self.job_at(path).await
    }
}

/// The answer of a first call to an object the person named: the bus's "unknown object"
/// (nothing at that path, or something that is not a plan or job there) becomes
/// `NoSuchObject` in the person's words (`no plan 999`), not the bus's error name.
fn exists<T>(answer: zbus::Result<T>, what: impl FnOnce() -> String) -> Result<(), Failure> {
    match answer {
        Ok(_) => Ok(()),
        Err(zbus::Error::MethodError(name, _, _))
            if [
                "org.freedesktop.DBus.Error.UnknownObject",
                "org.freedesktop.DBus.Error.UnknownInterface",
                "org.freedesktop.DBus.Error.UnknownProperty",
                "org.freedesktop.DBus.Error.UnknownMethod",
            ]
            .contains(&name.as_str()) =>
        {
            Err(Error::NoSuchObject(what()).into())
        }
        Err(zbus::Error::FDO(e))
            if matches!(
                *e,
                zbus::fdo::Error::UnknownObject(_)
                    | zbus::fdo::Error::UnknownInterface(_)
                    | zbus::fdo::Error::UnknownProperty(_)
                    | zbus::fdo::Error::UnknownMethod(_)
            ) =>
        {
            Err(Error::NoSuchObject(what()).into())
        }
        Err(e) => Err(e.into()),
    }
}

/// The active job if there is one (`active` as read from the manager), else the last job;
/// either may be `NO_OBJECT`.
pub async fn active_or_last(
    m: &ManagerProxy<'_>,
    active: &OwnedObjectPath,
) -> Result<OwnedObjectPath, Failure> {
    Ok(if active.as_str() == NO_OBJECT {
        m.last_job().await?
    } else {
        active.clone()
    })
}

/// Accepts a full object path or just the number at the end of one.
pub fn object_path(text: &str, prefix: &str) -> Result<OwnedObjectPath, Failure> {
    let full = if text.bytes().all(|b| b.is_ascii_digit()) {
        format!("{prefix}/{text}")
    } else {
        text.to_owned()
    };
    OwnedObjectPath::try_from(full).map_err(|_| {
        Error::InvalidArgument(format!("{text:?} is not an object path or number")).into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_the_end_of_a_path_and_a_path_is_taken_as_it_is() {
        let prefix = levitate_dbus::PLAN_PATH_PREFIX;
        let p = object_path("7", prefix).expect("a number");
        assert_eq!(p.as_str(), format!("{prefix}/7"));
        let full = format!("{prefix}/12");
        assert_eq!(object_path(&full, prefix).expect("a path").as_str(), full);
        let bad = object_path("not a path", prefix).expect_err("neither");
        assert_eq!(bad.code, crate::exit::INVALID_INPUT);
        assert_eq!(bad.name, "InvalidArgument");
    }
}
