//! Admin: the background job queue (counts, failures with their errors,
//! retry, cancel).

use actix_web::{http::StatusCode, web};
use shoebox_domain::{
    jobs::{CancelJobError, JobAdminError, JobId, RetryJobError},
    page::PageRequest,
};
use uuid::Uuid;

use crate::{
    HttpState,
    auth::Authenticated,
    job_dto::{JobResponse, JobsQuery, JobsResponse},
    problem::{Problem, ProblemDetails},
};

fn admin_problem(error: JobAdminError) -> Problem {
    match error {
        JobAdminError::Forbidden => Problem::forbidden("only admins may do this"),
        JobAdminError::Unexpected(cause) => Problem::internal(cause),
    }
}

fn conflict(slug: &str, title: &str, detail: String) -> Problem {
    Problem::new(StatusCode::CONFLICT, slug, title).with_detail(detail)
}

#[utoipa::path(
    get,
    operation_id = "list_jobs", path = "/api/v1/admin/jobs", tag = "admin", security(("session" = []), ("bearer" = [])), params(JobsQuery),
    responses((status = 200, body = JobsResponse), (status = 400, body = ProblemDetails, content_type = "application/problem+json"), (status = 403, body = ProblemDetails, content_type = "application/problem+json")))]
pub async fn list(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    query: web::Query<JobsQuery>,
) -> Result<web::Json<JobsResponse>, Problem> {
    let jobs = &state.use_cases.jobs;
    let overview = jobs.overview(actor.clone()).await.map_err(admin_problem)?;
    let (items, next_cursor) = match query.state {
        Some(listed) => {
            let page = PageRequest::new(query.limit, query.cursor);
            let page = jobs
                .list(actor, listed.into(), page)
                .await
                .map_err(admin_problem)?;
            (
                page.items.into_iter().map(Into::into).collect(),
                page.next_cursor,
            )
        }
        None => (Vec::new(), None),
    };
    Ok(web::Json(JobsResponse {
        counts: overview.counts.into(),
        oldest_queued_age_seconds: overview.oldest_due_age.map(|age| age.as_secs()),
        items,
        next_cursor,
    }))
}

#[utoipa::path(
    post,
    operation_id = "retry_job", path = "/api/v1/admin/jobs/{id}/retry", tag = "admin", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Job id")),
    responses(
        (status = 200, description = "Queued again, due now", body = JobResponse),
        (status = 403, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Not failed, dead or cancelled, or a live job holds its de-duplication key", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn retry(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<JobResponse>, Problem> {
    let id = JobId::from_uuid(id.into_inner());
    let job = state
        .use_cases
        .jobs
        .retry(actor, id)
        .await
        .map_err(|error| match error {
            RetryJobError::Forbidden => Problem::forbidden("only admins may do this"),
            RetryJobError::NotFound => Problem::not_found("job"),
            error @ RetryJobError::NotRetryable { .. } => conflict(
                "job-not-retryable",
                "This job cannot be retried",
                error.to_string(),
            ),
            error @ RetryJobError::DuplicateLive => conflict(
                "job-duplicate",
                "An identical job is waiting or running",
                error.to_string(),
            ),
            RetryJobError::Unexpected(cause) => Problem::internal(cause),
        })?;
    Ok(web::Json(job.into()))
}

#[utoipa::path(
    post,
    operation_id = "cancel_job", path = "/api/v1/admin/jobs/{id}/cancel", tag = "admin", security(("session" = []), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Job id")),
    responses(
        (status = 200, description = "Cancelled; it will not run", body = JobResponse),
        (status = 403, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 404, body = ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Running or already over", body = ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn cancel(
    Authenticated(actor): Authenticated,
    state: web::Data<HttpState>,
    id: web::Path<Uuid>,
) -> Result<web::Json<JobResponse>, Problem> {
    let id = JobId::from_uuid(id.into_inner());
    let job = state
        .use_cases
        .jobs
        .cancel(actor, id)
        .await
        .map_err(|error| match error {
            CancelJobError::Forbidden => Problem::forbidden("only admins may do this"),
            CancelJobError::NotFound => Problem::not_found("job"),
            error @ CancelJobError::NotCancellable { .. } => conflict(
                "job-not-cancellable",
                "This job cannot be cancelled",
                error.to_string(),
            ),
            CancelJobError::Unexpected(cause) => Problem::internal(cause),
        })?;
    Ok(web::Json(job.into()))
}
