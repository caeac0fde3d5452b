# The image the Helm chart runs (deploy/helm/palisade): the committed CLI bundle, bin/, which needs no
# npm install and no build step, on Node 20. Build from the repository root:
#   docker build -t registry.example.com/palisade:0.1.0 .
FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /opt/palisade
COPY LICENSE package.json ./
COPY bin/ ./bin/
RUN ln -s /opt/palisade/bin/palisade.mjs /usr/local/bin/palisade
# The image's unprivileged `node` user (uid 1000), as the chart's securityContext expects.
USER 1000:1000
# 9443: admission webhooks and /health/*; 8000: metrics (the chart's --metrics-port).
EXPOSE 9443 8000
ENTRYPOINT ["palisade"]
CMD ["serve", "--help"]
